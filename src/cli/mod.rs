//! The command line: clap definitions (flags and their docs live here, in one place) and one
//! module per subcommand.

pub mod check;
pub mod config;
pub mod flags;
pub mod info;
pub mod list;
pub mod progress;
pub mod runtime;
pub mod show;
pub mod sim;

use clap::{Args, Parser, Subcommand};

use chrono::{DateTime, Utc};

use crate::model::{Arch, OsType, Status};
use crate::output::Format;
use crate::query::VisibilityFilter;

const EXAMPLES: &str = concat!(
    "Examples:\n",
    "  imgcat --sim list --provider all\n",
    "  imgcat list --provider huawei-ims --region cn-north-4 --visibility public\n",
    "  imgcat list --provider all --output json | jq '.[] | select(.os_family == \"ubuntu\")'\n",
    "  imgcat sim serve --port 8080 --images 2600",
);

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
    /// Requests in flight at once, across all providers and regions [default: the profile's
    /// `concurrency`, else 32].
    #[arg(long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: Option<u16>,
    /// The profile to read from the config file [env: IMGCAT_PROFILE] (default: `default`).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Timeout of one request, in seconds (body included).
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Retries of a transient failure (429, 5xx, connection errors, rate limits).
    #[arg(long, global = true, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// The flags providers declare (each stands for an environment variable).
    #[command(flatten)]
    pub provider_flags: flags::ProviderFlags,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List images.
    #[command(after_help = LIST_EXAMPLES)]
    List(ListArgs),
    /// Show one image: every normalized field and the provider's own (`extra`). Exit 1 when not found.
    Show(ShowArgs),
    /// For CI: exit 0 when a matching image exists (with the status asked for), 1 when not.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// The providers: API, auth modes, paging, filters pushed down, credentials configured here.
    Providers(FormatArgs),
    /// The regions (or zones) a provider knows.
    Regions(RegionsArgs),
    /// Shell completions on stdout.
    Completions(CompletionsArgs),
    /// The man page (roff) on stdout.
    Man,
    /// Configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The offline simulator.
    #[command(subcommand)]
    Sim(SimCommand),
}

const LIST_EXAMPLES: &str = concat!(
    "Examples:\n",
    "  imgcat list -p huawei-ims -r cn-north-4 --visibility public\n",
    "  imgcat list -p all -o json | jq '.[] | select(.os_family == \"ubuntu\")'\n",
    "  imgcat list -p zenlayer -r all --os ubuntu --arch x86_64 --sort-by created_at:desc --limit 5\n",
    "  imgcat list -p tencent-legacy -r ap-guangzhou --columns id,name,os_version -o csv",
);

const CHECK_EXAMPLES: &str = concat!(
    "Examples:\n",
    "  imgcat check -p zenlayer -r FRA-A --name \"Ubuntu Server 22.04 LTS x86 64-bit\"\n",
    "  imgcat check -p huawei-ims -r cn-north-4 --id 0328c25e-c840-4496-81ac-c4e01b214b1f --status available",
);

/// Which providers and regions.
#[derive(Debug, Args, Clone)]
pub struct TargetArgs {
    /// Provider id (repeatable), or all (every provider with credentials configured; every
    /// provider under --sim).
    #[arg(long = "provider", short = 'p', value_name = "ID", required = true,
          help = provider_help(), long_help = provider_help())]
    pub providers: Vec<String>,
    /// Region or zone (repeatable).
    #[arg(long = "region", short = 'r', value_name = "REGION",
          help = region_help(), long_help = region_help())]
    pub regions: Vec<String>,
    /// Replace the provider's base URL (scheme, host, port); only with one provider.
    /// Per provider: IMGCAT_ENDPOINT_<ID> (e.g. IMGCAT_ENDPOINT_HUAWEI_IMS).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
}

/// Filters on the unified model: pushed down where the API can apply them exactly, matched
/// client-side always.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Visibility.
    #[arg(long, value_enum, default_value_t = VisibilityFilter::All)]
    pub visibility: VisibilityFilter,
    /// Exact name; with `*` or `?` a glob matched client-side.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// OS type: linux, windows, android, other.
    #[arg(long, value_name = "TYPE", value_parser = parse_enum::<OsType>)]
    pub os_type: Option<OsType>,
    /// OS family: ubuntu, centos, debian, windows, euleros, aosp, ...
    #[arg(long = "os", value_name = "FAMILY")]
    pub os_family: Option<String>,
    /// Architecture: x86_64, arm64, i386.
    #[arg(long, value_name = "ARCH", value_parser = parse_enum::<Arch>)]
    pub arch: Option<Arch>,
    /// Status: available, creating, unavailable, deleted, error, unknown.
    #[arg(long, value_name = "STATUS", value_parser = parse_enum::<Status>)]
    pub status: Option<Status>,
    /// Created after this time (RFC 3339, or a date YYYY-MM-DD meaning its midnight UTC).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub created_after: Option<DateTime<Utc>>,
    /// Created before this time (RFC 3339, or a date YYYY-MM-DD).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub created_before: Option<DateTime<Utc>>,
}

/// How to print.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Sort by FIELD[:asc|desc] (repeatable; the first is the primary key). Default: provider,
    /// region, then the API's order.
    #[arg(long = "sort-by", value_name = "FIELD[:asc|desc]")]
    pub sort_by: Vec<String>,
    /// Columns (fields) of every format, e.g. id,name,os_version: json, ndjson and yaml objects
    /// then hold only those fields.
    #[arg(long, value_name = "A,B,C", value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Table: every default column, untruncated.
    #[arg(long)]
    pub wide: bool,
    /// At most N images in all.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// A JMESPath expression applied to the JSON array of images (after the filters, --sort-by,
    /// --limit, --columns), e.g. "[?os_family=='ubuntu'].id"; the result is printed as --output
    /// says. The listing is collected whole first.
    #[arg(long, value_name = "EXPR")]
    pub query: Option<String>,
}

/// `imgcat list`.
#[derive(Debug, Args, Clone)]
pub struct ListArgs {
    /// Providers and regions.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Filters.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `imgcat show`.
#[derive(Debug, Args, Clone)]
pub struct ShowArgs {
    /// Providers and regions.
    #[command(flatten)]
    pub target: TargetArgs,
    /// The image id.
    pub id: String,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// A JMESPath expression applied to the image's JSON object, e.g. "extra.tags"; the result
    /// is printed as --output says.
    #[arg(long, value_name = "EXPR")]
    pub query: Option<String>,
}

/// `imgcat check`.
#[derive(Debug, Args, Clone)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["id", "name"]))]
pub struct CheckArgs {
    /// Providers and regions.
    #[command(flatten)]
    pub target: TargetArgs,
    /// The image id.
    #[arg(long)]
    pub id: Option<String>,
    /// The image name (exact; `*` / `?` glob).
    #[arg(long)]
    pub name: Option<String>,
    /// Also require this status.
    #[arg(long, value_name = "STATUS", value_parser = parse_enum::<Status>)]
    pub status: Option<Status>,
    /// `text` (one short line) or `json`.
    #[arg(long, short = 'o', value_enum, default_value_t = CheckFormat::Text)]
    pub output: CheckFormat,
}

/// Output of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// One short line.
    Text,
    /// A JSON object.
    Json,
}

/// `--output` of the small informational commands.
#[derive(Debug, Args, Clone)]
pub struct FormatArgs {
    /// `table` or `json`.
    #[arg(long, short = 'o', value_enum, default_value_t = InfoFormat::Table)]
    pub output: InfoFormat,
}

/// Output of `providers`, `regions`, `config show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InfoFormat {
    /// A table.
    Table,
    /// JSON.
    Json,
}

/// `imgcat regions`.
#[derive(Debug, Args, Clone)]
pub struct RegionsArgs {
    /// The provider.
    #[arg(long, short = 'p', value_name = "ID")]
    pub provider: String,
    /// Output.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// `imgcat completions`.
#[derive(Debug, Args, Clone)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `imgcat config ...`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// The effective configuration, secrets masked, with where each value came from.
    Show(FormatArgs),
}

/// The help of `--provider`: the registry's ids.
fn provider_help() -> String {
    let ids: Vec<&str> = crate::providers::ProviderId::all()
        .map(|p| p.as_str())
        .collect();
    format!(
        "Provider id (repeatable): {}, or all (every provider with credentials configured; every provider under --sim)",
        ids.join(", ")
    )
}

/// The help of `--region`: each credential group's region variable, and who takes `all`.
fn region_help() -> String {
    let vars: Vec<&str> = crate::providers::credential_groups()
        .iter()
        .map(|g| g.region_var)
        .collect();
    let all: Vec<String> = crate::providers::REGISTRY
        .iter()
        .filter_map(|p| {
            p.regions()
                .all_from
                .map(|call| format!("{} ({call})", p.id()))
        })
        .collect();
    let mut help = format!("Region or zone (repeatable). Default: {}.", vars.join(", "));
    if !all.is_empty() {
        help.push_str(&format!(
            " `all` asks the API for every region of: {}",
            all.join(", ")
        ));
    }
    help
}

fn parse_enum<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// Parses RFC 3339, or a date (midnight UTC).
pub fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("'{s}' is not an RFC 3339 time or a YYYY-MM-DD date"))
}

/// `imgcat sim ...`.
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve every provider's API on a loopback port until interrupted.
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
    /// Latency in milliseconds: each answer leaves this long after its request arrived (the
    /// simulator's own work included).
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Inject a fault (repeatable), e.g. status:503:3 (see README, "Fault injection").
    #[arg(long = "fault", value_name = "KIND[:ARGS]")]
    pub faults: Vec<String>,
}
