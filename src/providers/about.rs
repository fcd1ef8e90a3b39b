//! What each provider's API is and can do, for `imgcat providers` and the README.

use super::ProviderId;

/// Facts about one provider's API.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct About {
    /// The provider id.
    pub id: ProviderId,
    /// The list call.
    pub api: &'static str,
    /// Authentication modes.
    pub auth: &'static str,
    /// Paging style and page size used.
    pub paging: &'static str,
    /// Filters imgcat pushes down to the API (all others are applied client-side).
    pub pushdown: &'static str,
}

/// The facts of `p`.
pub fn about(p: ProviderId) -> About {
    let (api, auth, paging, pushdown) = match p {
        ProviderId::HuaweiIms => (
            "GET /v2/images (Glance v2)",
            "SDK-HMAC-SHA256 (AK/SK, temporary AK/SK), X-Auth-Token",
            "marker + next link, limit=1000",
            "visibility, name (exact), os-type, created-after/before, id",
        ),
        ProviderId::HuaweiWorkspace => (
            "GET /v2/{project_id}/images",
            "SDK-HMAC-SHA256 (AK/SK, temporary AK/SK), X-Auth-Token",
            "offset/limit=100 until total_count, pages in parallel",
            "visibility (gold/private), os-type",
        ),
        ProviderId::HuaweiCph => (
            "GET /v1/{project_id}/cloud-phone/phone-images",
            "SDK-HMAC-SHA256 (AK/SK, temporary AK/SK), X-Auth-Token",
            "one answer per image_type",
            "visibility (image_type)",
        ),
        ProviderId::TencentLegacy => (
            "DescribeImages, image.api.qcloud.com/v2/index.php (API 2.0)",
            "HmacSHA256 / HmacSHA1 query signature, session token",
            "Offset/Limit=100 until TotalCount, pages in parallel",
            "visibility (image-type), name (image-name), id (image-id)",
        ),
        ProviderId::Zenlayer => (
            "POST /api/v2/vm, x-zc-action: DescribeImages",
            "ZC2-HMAC-SHA256, Bearer token",
            "pageNum/pageSize=1000 until totalCount, pages in parallel",
            "visibility (imageType), name (imageName), os-type (osType), id (imageIds)",
        ),
    };
    About {
        id: p,
        api,
        auth,
        paging,
        pushdown,
    }
}
