//! Names of private / custom images: hard characters on purpose.

/// Names that occur exactly once in every catalog (of 40 images or more): the first private
/// (custom) images. Spaces, `+`, `/`, `=`, `:`, `%`, `&` and non-ASCII on purpose.
pub const UNIQUE_NAMES: &[&str] = &[
    "web 服务器 v1+2",
    "Ubuntu 22.04 CI: build/nightly",
    "db=primary/replica snapshot 2024-03-01",
    "ñandú backup: 50% done & verified",
    "GPU 训练镜像 cuda12.2+cudnn8",
    "app/v2.1 build=1234 α~β",
    "日本語 イメージ test",
    "k8s node: 1.29/containerd=1.7",
];

/// Names that several private images share in every catalog (of 300 images or more).
pub const SHARED_NAMES: &[&str] = &["golden base", "jenkins agent 2.4", "数据库 备份"];

const PATTERNS: &[&str] = &[
    "app-server-{k}",
    "backup {k} (daily)",
    "ci-runner+{k}",
    "tenant/{k}/web",
    "redis 7.2 cache {k}",
    "java=17 build:{k}",
];

/// The name of the `k`-th private image of a catalog.
pub fn private_name(k: usize) -> String {
    if let Some(name) = UNIQUE_NAMES.get(k) {
        return (*name).to_string();
    }
    if k.is_multiple_of(6) {
        return SHARED_NAMES[(k / 6) % SHARED_NAMES.len()].to_string();
    }
    PATTERNS[k % PATTERNS.len()].replace("{k}", &format!("{k:05}"))
}

/// The name of the `k`-th image shared with the account (unique).
pub fn shared_name(k: usize, base: &str) -> String {
    format!("partner {base} image #{k}")
}

/// The description of a private image.
pub fn private_description(k: usize) -> String {
    match k % 4 {
        0 => String::new(),
        1 => format!("created from instance ecs-{k:04}"),
        2 => "镜像 for staging; owner=ops".to_string(),
        _ => format!("nightly build #{k} (auto)"),
    }
}
