//! Offset paging shared by Workspace, Tencent and Zenlayer (with the page-level faults).

use super::catalog::{Catalog, Entry};
use super::faults::PageFault;
use super::server::SimState;
use super::stats::SimApi;

/// One offset page.
pub(crate) struct Page<'a> {
    /// The entries of the page.
    pub items: Vec<&'a Entry>,
    /// The total the API reports.
    pub total: usize,
}

impl Page<'_> {
    /// The summed size of the serialized items.
    pub fn byte_len(&self) -> usize {
        self.items.iter().map(|e| e.bytes.len() + 1).sum()
    }
}

/// The entries `offset..offset+limit` of those matching `keep`, and their count.
/// `filtered` false means `keep` accepts everything (the fast path).
pub(crate) fn offset_page<'a>(
    st: &SimState,
    api: SimApi,
    cat: &'a Catalog,
    filtered: bool,
    keep: impl Fn(&Entry) -> bool,
    offset: usize,
    limit: usize,
) -> Page<'a> {
    let (mut items, mut total) = if filtered {
        let mut total = 0usize;
        let mut items = Vec::with_capacity(limit.min(1024));
        for e in cat.entries.iter().filter(|e| keep(e)) {
            if total >= offset && items.len() < limit {
                items.push(e);
            }
            total += 1;
        }
        (items, total)
    } else {
        let total = cat.entries.len();
        let start = offset.min(total);
        let end = start.saturating_add(limit).min(total);
        (cat.entries[start..end].iter().collect(), total)
    };
    let full = limit > 0 && items.len() == limit;
    if full && offset.saturating_add(limit) < total && st.faults.page(api, PageFault::ShortPage) {
        st.stats.fault();
        items.pop();
    }
    if offset > 0 && st.faults.page(api, PageFault::TotalChange) {
        st.stats.fault();
        total += 1;
    }
    Page { items, total }
}
