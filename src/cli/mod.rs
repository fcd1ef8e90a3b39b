//! The command line: clap definitions (flags and their docs live here, in one place) and one
//! module per subcommand.

pub mod list;
pub mod runtime;
pub mod sim;

use clap::{Args, Parser, Subcommand};

use crate::model::OsType;
use crate::output::Format;
use crate::query::VisibilityFilter;

const EXAMPLES: &str = "\
Examples:
  imgcat --sim list --provider all
  imgcat list --provider huawei-ims --region cn-north-4 --visibility public
  imgcat list --provider all --output json | jq '.[] | select(.os_family == \"ubuntu\")'
  imgcat sim serve --port 8080 --images 2600";

/// List the machine images of several clouds through one interface.
#[derive(Debug, Parser)]
#[command(name = "imgcat", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    /// Global options.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Start the built-in simulator on a loopback port and point every provider at it with its
    /// demo credentials (no credentials, no network).
    #[arg(long, global = true)]
    pub sim: bool,
    /// Images per provider in the `--sim` catalog.
    #[arg(
        long,
        global = true,
        value_name = "N",
        default_value_t = 40,
        hide_short_help = true
    )]
    pub sim_images: usize,
    /// Request logs on stderr: -v method, URL, status, timing and retries; -vv more detail.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Everything -vv shows plus request and response headers (secrets masked).
    #[arg(long, global = true)]
    pub debug: bool,
    /// Requests in flight at once, across all providers and regions.
    #[arg(long, global = true, value_name = "N", default_value_t = 32,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Timeout of one request, in seconds (body included).
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Retries of a transient failure (429, 5xx, connection errors, rate limits).
    #[arg(long, global = true, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// Tencent API 2.0 signature method [env: IMGCAT_TENCENT_SIGNATURE_METHOD] (HmacSHA256 when unset).
    #[arg(long, global = true, value_name = "METHOD", value_parser = crate::config::parse_signature_method)]
    pub tencent_signature_method: Option<crate::sign::tencent_v2::SignatureMethod>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List images.
    List(ListArgs),
    /// The offline simulator.
    #[command(subcommand)]
    Sim(SimCommand),
}

/// `imgcat list`.
#[derive(Debug, Args, Clone)]
pub struct ListArgs {
    /// Provider id (repeatable): huawei-ims, huawei-workspace, huawei-cph, tencent-legacy,
    /// zenlayer, or all (every provider with credentials configured; every provider under --sim).
    #[arg(long = "provider", short = 'p', value_name = "ID", required = true)]
    pub providers: Vec<String>,
    /// Region or zone (repeatable). Default: HUAWEICLOUD_SDK_REGION, TENCENTCLOUD_REGION,
    /// ZENLAYERCLOUD_ZONE. Zenlayer takes `all` (every zone, from DescribeZones).
    #[arg(long = "region", short = 'r', value_name = "REGION")]
    pub regions: Vec<String>,
    /// Visibility.
    #[arg(long, value_enum, default_value_t = VisibilityFilter::All)]
    pub visibility: VisibilityFilter,
    /// Exact name; with `*` or `?` a glob matched client-side.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// OS type: linux, windows, android, other.
    #[arg(long, value_name = "TYPE", value_parser = parse_os_type)]
    pub os_type: Option<OsType>,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Replace the provider's base URL (scheme, host, port); only with one provider.
    /// Per provider: IMGCAT_ENDPOINT_<ID> (e.g. IMGCAT_ENDPOINT_HUAWEI_IMS).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
}

fn parse_os_type(s: &str) -> Result<OsType, String> {
    s.parse()
}

/// `imgcat sim ...`.
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the five APIs on a loopback port until interrupted.
    Serve(SimServeArgs),
}

/// `imgcat sim serve`.
#[derive(Debug, Args, Clone)]
pub struct SimServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Images per provider catalog.
    #[arg(long, default_value_t = 300)]
    pub images: usize,
    /// Delay added to every response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
}
