//! The command line: clap definitions (flags and their docs live here, in one place) and one
//! module per subcommand.

pub mod check;
pub mod config;
pub mod diff;
pub mod flags;
pub mod info;
pub mod list;
pub mod progress;
pub mod runtime;
pub mod show;
pub mod sim;
pub mod usage;
pub mod wait;
pub mod where_;

use clap::{Args, Parser, Subcommand};

use chrono::{DateTime, Utc};

use crate::model::{Arch, OsType, Status};
use crate::output::Format;
use crate::query::{OsVersion, VisibilityFilter};

/// Prints `line` and a newline on stderr with every registered secret (and signature) masked
/// ([`crate::secret::mask`]): the way the commands print their messages, which can quote what a
/// server sent. A failed write is ignored: there is nowhere left to report it.
pub fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    let text = line.to_string();
    let masked = crate::secret::mask(&text);
    let _ = writeln!(std::io::stderr().lock(), "{masked}");
}

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
    /// Images per provider in the `--sim` catalog (1 to 100,000).
    #[arg(
        long,
        global = true,
        value_name = "N",
        default_value_t = 40,
        hide_short_help = true,
        value_parser = clap::value_parser!(u32).range(1..=100_000)
    )]
    pub sim_images: u32,
    /// Request logs on stderr: -v method, URL, status, timing and retries; -vv more detail.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Everything -vv shows plus request and response headers (secrets masked).
    #[arg(long, global = true)]
    pub debug: bool,
    /// Requests in flight at once, across all providers and regions [default: the profile's
    /// `concurrency`, else 32].
    #[arg(long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u16).range(
              i64::from(*crate::profile::CONCURRENCY_RANGE.start())
                  ..=i64::from(*crate::profile::CONCURRENCY_RANGE.end())))]
    pub concurrency: Option<u16>,
    /// The profile to read from the config file [env: IMGCAT_PROFILE] (default: `default`).
    #[arg(long, global = true, value_name = "NAME", value_parser = usage::non_empty)]
    pub profile: Option<String>,
    /// Timeout of one request, body included: seconds, or a duration such as 30s, 2m
    /// [default: 30]; 1ms to 7d. For `wait`: how long to wait in all [default: 10m].
    #[arg(long, global = true, value_name = "SECS|DURATION", value_parser = usage::timeout)]
    pub timeout: Option<std::time::Duration>,
    /// Retries of a transient failure (429, 5xx, connection errors, rate limits), 0 to 20.
    #[arg(long, global = true, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(0..=20))]
    pub retries: u32,
    /// Do not keep to the providers' request-rate limits (for endpoints without them: a
    /// mirror, a test server, `sim serve --no-rate-limit`); a throttling answer is still retried.
    #[arg(long, global = true)]
    pub no_rate_limit: bool,
    /// Never ask the clouds' instance metadata services for temporary keys [env:
    /// IMGCAT_NO_METADATA=1].
    #[arg(long, global = true)]
    pub no_metadata: bool,
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
    /// Where a matching image exists: every target (provider x region) with its number of
    /// matches and the newest one. Exit 0 when every target has a match, 1 when one has none.
    #[command(after_help = WHERE_EXAMPLES)]
    Where(WhereArgs),
    /// Wait until an image exists with a status (default available). Exit 0 then, 9 on timeout.
    #[command(after_help = WAIT_EXAMPLES)]
    Wait(WaitArgs),
    /// What changed between two listings (files of `list -o json|ndjson`), or between one and a
    /// live listing: added, removed and changed images. Exit 0 when equal, 1 when different.
    #[command(after_help = DIFF_EXAMPLES)]
    Diff(DiffArgs),
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

const WHERE_EXAMPLES: &str = concat!(
    "Examples:\n",
    "  imgcat where -p all -r all --os ubuntu --os-version 22.04\n",
    "  imgcat where -p huawei-ims -r all --name golden-2024-06 -o json",
);

const WAIT_EXAMPLES: &str = concat!(
    "Examples:\n",
    "  imgcat wait -p huawei-ims -r cn-north-4 --id 0328c25e-c840-4496-81ac-c4e01b214b1f\n",
    "  imgcat wait -p tencent-legacy -r ap-guangzhou --name golden-2024-06 --timeout 30m --interval 30s",
);

const DIFF_EXAMPLES: &str = concat!(
    "Examples:\n",
    "  imgcat list -p all -o ndjson > before.ndjson; ...; imgcat list -p all -o ndjson > after.ndjson\n",
    "  imgcat diff before.ndjson after.ndjson\n",
    "  imgcat diff before.ndjson -p huawei-ims -r cn-north-4      # against the catalog now\n",
    "  imgcat diff before.json after.json -o ndjson --query \"[?change=='removed'].id\"",
);

/// Which providers and regions.
#[derive(Debug, Args, Clone)]
pub struct TargetArgs {
    /// Provider id (repeatable), or all (every provider with credentials configured; every
    /// provider under --sim).
    #[arg(long = "provider", short = 'p', value_name = "ID", required = true,
          value_parser = usage::provider, help = provider_help(), long_help = provider_help())]
    pub providers: Vec<String>,
    /// Region or zone (repeatable).
    #[arg(long = "region", short = 'r', value_name = "REGION", value_parser = usage::region,
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
    #[arg(long, value_name = "NAME", value_parser = usage::non_empty)]
    pub name: Option<String>,
    /// OS type: linux, windows, android, other.
    #[arg(long, value_name = "TYPE", value_parser = parse_enum::<OsType>)]
    pub os_type: Option<OsType>,
    /// OS family: ubuntu, centos, debian, windows, euleros, aosp, ...
    #[arg(long = "os", value_name = "FAMILY", value_parser = usage::non_empty)]
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
    /// OS version and its sub-versions: 22.04 takes 22.04 and 22.04.3, not 22.040.
    #[arg(long, value_name = "VERSION", value_parser = OsVersion::parse)]
    pub os_version: Option<OsVersion>,
    /// Also images the provider marks deprecated (left out by default where the API marks them).
    #[arg(long)]
    pub include_deprecated: bool,
}

/// How to print.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Sort by FIELD[:asc|desc] (repeatable; the first is the primary key). Default: provider,
    /// region, then the API's order.
    #[arg(long = "sort-by", value_name = "FIELD[:asc|desc]", value_parser = usage::non_empty)]
    pub sort_by: Vec<String>,
    /// Columns (fields) of every format, e.g. id,name,os_version: json, ndjson and yaml objects
    /// then hold only those fields.
    #[arg(long, value_name = "A,B,C", value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Table: every default column, untruncated.
    #[arg(long)]
    pub wide: bool,
    /// At most N images in all (0 to 1,000,000,000; 0 prints nothing and asks nothing).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(
              *usage::LIMIT_RANGE.start()..=*usage::LIMIT_RANGE.end()))]
    pub limit: Option<u64>,
    /// A JMESPath expression applied to the JSON array of images (after the filters, --sort-by,
    /// --limit, --columns), e.g. "[?os_family=='ubuntu'].id"; the result is printed as --output
    /// says. The listing is collected whole first.
    #[arg(long, value_name = "EXPR", value_parser = usage::non_empty)]
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
    /// Per provider and region, only the newest matching image by creation time (ties: the
    /// greater id); a region whose images have no creation time gets a warning and no pick.
    #[arg(long)]
    pub latest: bool,
}

/// `imgcat show`.
#[derive(Debug, Args, Clone)]
pub struct ShowArgs {
    /// Providers and regions.
    #[command(flatten)]
    pub target: TargetArgs,
    /// The image id (or --latest and filters instead).
    #[arg(required_unless_present = "latest", value_parser = usage::non_empty)]
    pub id: Option<String>,
    /// The newest image matching the filters, by creation time (ties: the greater id); needs a
    /// single provider and region.
    #[arg(long, conflicts_with = "id")]
    pub latest: bool,
    /// Filters (with --latest).
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// A JMESPath expression applied to the image's JSON object, e.g. "extra.tags"; the result
    /// is printed as --output says.
    #[arg(long, value_name = "EXPR", value_parser = usage::non_empty)]
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
    #[arg(long, value_parser = usage::non_empty)]
    pub id: Option<String>,
    /// The image name (exact; `*` / `?` glob).
    #[arg(long, value_parser = usage::non_empty)]
    pub name: Option<String>,
    /// Also require this status.
    #[arg(long, value_name = "STATUS", value_parser = parse_enum::<Status>)]
    pub status: Option<Status>,
    /// `text` (one short line) or `json`.
    #[arg(long, short = 'o', value_enum, default_value_t = CheckFormat::Text)]
    pub output: CheckFormat,
    /// Judge only the newest match of each provider and region (by creation time; ties: the
    /// greater id): with --status, "is the newest one available?".
    #[arg(long)]
    pub latest: bool,
    /// OS version and its sub-versions (22.04 takes 22.04.3).
    #[arg(long, value_name = "VERSION", value_parser = OsVersion::parse)]
    pub os_version: Option<OsVersion>,
    /// Also images the provider marks deprecated (with --name; an --id is always looked for).
    #[arg(long)]
    pub include_deprecated: bool,
}

/// `imgcat where`.
#[derive(Debug, Args, Clone)]
pub struct WhereArgs {
    /// Providers and regions.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Filters.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// `table`, `json` (one array) or `ndjson` (one object per target and line).
    #[arg(long, short = 'o', value_enum, default_value_t = WhereFormat::Table)]
    pub output: WhereFormat,
    /// A JMESPath expression applied to the JSON array of targets, e.g.
    /// "[?matches==`0`].region"; the result is printed as --output says.
    #[arg(long, value_name = "EXPR", value_parser = usage::non_empty)]
    pub query: Option<String>,
}

/// `imgcat diff`.
#[derive(Debug, Args, Clone)]
pub struct DiffArgs {
    /// The older listing: a file written by `imgcat list -o json` or `-o ndjson` (told apart
    /// by its first byte), or `-` for stdin.
    #[arg(value_parser = usage::non_empty)]
    pub old: String,
    /// The newer listing (a file, or `-`). Without it: a live listing made with --provider,
    /// --region and the filters, compared with OLD's images of the same targets and filters.
    #[arg(value_parser = usage::non_empty)]
    pub new: Option<String>,
    /// Live listing: provider id (repeatable), or all.
    #[arg(long = "provider", short = 'p', value_name = "ID", value_parser = usage::provider)]
    pub providers: Vec<String>,
    /// Live listing: region or zone (repeatable), or all.
    #[arg(long = "region", short = 'r', value_name = "REGION", value_parser = usage::region)]
    pub regions: Vec<String>,
    /// Live listing: the provider's base URL; only with one provider.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Filters of the live listing (OLD is filtered alike).
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Compare the provider's own fields (`extra`) too, member by member.
    #[arg(long)]
    pub extra: bool,
    /// `table`, `json` (one array of changes) or `ndjson` (one change a line).
    #[arg(long, short = 'o', value_enum, default_value_t = DiffFormat::Table)]
    pub output: DiffFormat,
    /// A JMESPath expression applied to the JSON array of changes, e.g.
    /// "[?change=='removed'].id"; the result is printed as --output says.
    #[arg(long, value_name = "EXPR", value_parser = usage::non_empty)]
    pub query: Option<String>,
}

/// Output of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// A table: change, provider, region, id, name, and each changed field's old -> new.
    Table,
    /// A JSON array, one object per change.
    Json,
    /// One JSON object per change and line.
    Ndjson,
}

/// Output of `where`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WhereFormat {
    /// A table: provider, region, matches, newest id and name.
    Table,
    /// A JSON array, one object per target.
    Json,
    /// One JSON object per target and line.
    Ndjson,
}

/// `imgcat wait`. Its overall limit is the global `--timeout` (default 10m).
#[derive(Debug, Args, Clone)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["id", "name"]))]
pub struct WaitArgs {
    /// Providers and regions (every target must have the image).
    #[command(flatten)]
    pub target: TargetArgs,
    /// The image id.
    #[arg(long, value_parser = usage::non_empty)]
    pub id: Option<String>,
    /// The image name (exact; `*` / `?` glob).
    #[arg(long, value_parser = usage::non_empty)]
    pub name: Option<String>,
    /// The status to wait for.
    #[arg(long, value_name = "STATUS", value_parser = parse_enum::<Status>, default_value = "available")]
    pub status: Status,
    /// Time between two polls (seconds, or 30s, 2m, ...): 100ms to 1d.
    #[arg(long, value_name = "DURATION", value_parser = usage::interval, default_value = "15s")]
    pub interval: std::time::Duration,
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
    /// The provider (one: `all` is not taken; run it once per provider).
    #[arg(long, short = 'p', value_name = "ID", value_parser = usage::one_provider)]
    pub provider: crate::providers::ProviderId,
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

/// Parses a positive duration of at most 10^9 seconds: a number of seconds (`30`, `1.5`) or a
/// humantime duration (`30s`, `15m`, `1h 30m`). The flags narrow it ([`usage::timeout`],
/// [`usage::interval`]).
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let d = match t.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= 1e9 => {
            std::time::Duration::from_secs_f64(secs)
        }
        Ok(_) => return Err(format!("'{s}' is not a positive number of seconds")),
        Err(_) => humantime::parse_duration(t).map_err(|e| {
            format!("'{s}' is not a duration ({e}); use seconds or e.g. 30s, 15m, 1h")
        })?,
    };
    if d.is_zero() {
        return Err(format!("'{s}' is not a positive duration"));
    }
    if d > std::time::Duration::from_secs(1_000_000_000) {
        return Err(format!("'{s}' is out of range"));
    }
    Ok(d)
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

/// The long help of `sim serve --fault`: every kind, and the APIs the simulator serves.
fn fault_help() -> String {
    let apis: Vec<&str> = crate::sim::SimApi::all().map(|a| a.as_str()).collect();
    format!(
        "Inject a fault (repeatable): KIND[:ARGS][@API,...]. Counts are per API; without @, the image APIs. N and K are 0 to 10^9, MS 0 to 60000.
  status:CODE[:N]       the first N requests (default 1) answer HTTP CODE (400-599) in the API's error shape; 429 adds Retry-After: 1
  status-after:CODE[:K] every request after the first K (default 1) answers CODE: a listing that fails midway
  cut[:N]               the first N responses are cut mid-body
  truncate[:N]          the first N responses carry half their JSON
  slow:MS[:N]           the first N requests wait MS ms more
  ims-loop[:N]          IMS: `next` points back to the marker just used (default always)
  short-page[:N]        offset APIs: the first N full, non-final pages lack their last item
  total-change[:N]      offset APIs: the first N pages after the first report a total one higher
APIs: {}.",
        apis.join(", ")
    )
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
    /// Port on 127.0.0.1, 0 to 65535 (0 picks a free one).
    #[arg(long, value_name = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// Images per provider catalog (1 to 100,000).
    #[arg(long, value_name = "N", default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub images: u32,
    /// Latency in milliseconds, 0 to 60,000: each answer leaves this long after its request
    /// arrived (the simulator's own work included).
    #[arg(long, value_name = "MS", default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(
              *usage::LATENCY_MS_RANGE.start()..=*usage::LATENCY_MS_RANGE.end()))]
    pub latency_ms: u64,
    /// Inject a fault (repeatable): KIND[:ARGS][@API,...], e.g. status:503:3@ims.
    #[arg(long = "fault", value_name = "KIND[:ARGS][@API,...]", long_help = fault_help(),
          value_parser = usage::non_empty)]
    pub faults: Vec<String>,
    /// How long the temporary keys of the simulated instance metadata services stay valid, in
    /// seconds, 1 to 86,400; each asking hands out a new pair (short, to test refresh).
    #[arg(long, value_name = "SECS", default_value_t = 3600,
          value_parser = clap::value_parser!(u64).range(
              *usage::METADATA_TTL_RANGE.start()..=*usage::METADATA_TTL_RANGE.end()))]
    pub metadata_ttl: u64,
    /// Keep the image with this id hidden until SECONDS after the start, when it appears
    /// (repeatable; an id of a provider's catalog in its --sim region; SECONDS 0 to 10^7).
    #[arg(long = "appear", value_name = "ID:SECONDS", value_parser = usage::non_empty)]
    pub appear: Vec<String>,
    /// The account has no project in REGION: IAM lists none there (repeatable).
    #[arg(long = "no-project-in", value_name = "REGION", value_parser = usage::plain_region)]
    pub no_project: Vec<String>,
    /// Do not enforce the APIs' request-rate limits (enforced by default, with each API's own
    /// throttling error).
    #[arg(long)]
    pub no_rate_limit: bool,
}
