//! Fitting table columns into a terminal width: which columns to drop, how wide the rest may be,
//! and display-width-aware truncation. Pure functions, no I/O.

use unicode_width::UnicodeWidthStr;

/// The marker that ends a truncated cell.
pub(crate) const ELLIPSIS: char = '…';

/// What the fitter needs to know about one column.
#[derive(Debug, Clone)]
pub(crate) struct ColumnFit {
    /// Widest content, header included, in display columns.
    pub natural: usize,
    /// How far the column may shrink before others are dropped (at most `natural`).
    pub floor: usize,
    /// `None`: never dropped. `Some(p)`: dropped when needed, lowest `p` first.
    pub drop_priority: Option<u8>,
    /// Every row has the same value (dropped before anything else when space runs out).
    pub constant: bool,
    /// Shrunk below `natural` only after every other column is down to 1 (ids: a cut id cannot
    /// be used).
    pub whole: bool,
}

/// Second-tier floor: when dropping was not enough, every column may shrink to this.
const LAST_RESORT_FLOOR: usize = 8;

/// Chooses a width for each column (`None` = dropped) so that the columns plus `sep` columns
/// between each two fit in `width`:
///
/// 1. while even the floors do not fit, drop a droppable column: constant ones first, then by
///    lowest priority;
/// 2. shrink the widest column above its floor, one display column at a time, until it fits;
/// 3. if it still does not fit, shrink every column towards 8, then towards 1 - the `whole`
///    ones (ids) last, only when the others are down to 1.
///
/// When nothing more can give, the result may still be wider than `width`.
pub(crate) fn fit(columns: &[ColumnFit], width: usize, sep: usize) -> Vec<Option<usize>> {
    let mut keep = vec![true; columns.len()];
    let total = |keep: &[bool], widths: &dyn Fn(usize) -> usize| -> usize {
        let kept: Vec<usize> = (0..columns.len()).filter(|&i| keep[i]).collect();
        kept.iter().map(|&i| widths(i)).sum::<usize>() + sep * kept.len().saturating_sub(1)
    };

    let mut drop_order: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].drop_priority.is_some())
        .collect();
    drop_order.sort_by_key(|&i| (!columns[i].constant, columns[i].drop_priority));
    for i in drop_order {
        if total(&keep, &|j| columns[j].floor.min(columns[j].natural)) <= width {
            break;
        }
        keep[i] = false;
    }

    let mut widths: Vec<usize> = columns.iter().map(|c| c.natural).collect();
    let tiers: [&dyn Fn(&ColumnFit) -> usize; 4] = [
        &|c| c.floor.min(c.natural),
        &|c| {
            if c.whole {
                c.natural
            } else {
                LAST_RESORT_FLOOR.min(c.natural)
            }
        },
        &|c| if c.whole { c.natural } else { 1 },
        // Only a terminal too narrow for the whole columns alone cuts them.
        &|_| 1,
    ];
    for floor in tiers {
        while total(&keep, &|i| widths[i]) > width {
            let widest = (0..columns.len())
                .filter(|&i| keep[i] && widths[i] > floor(&columns[i]))
                .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)));
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
    }
    (0..columns.len())
        .map(|i| keep[i].then_some(widths[i]))
        .collect()
}

/// The display width of `text` (East Asian wide characters count 2), measured as comfy-table
/// measures it.
pub(crate) fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to at most `width` display columns, ending in [`ELLIPSIS`] when cut.
pub(crate) fn truncate(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    // Widths of strings are not always sums of widths of chars (emoji sequences, variation
    // selectors), so measure the growing prefix; it stops at `width` columns, so this is cheap.
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if display_width(&out) > width - 1 {
            out.pop();
            break;
        }
    }
    out.push(ELLIPSIS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(natural: usize, floor: usize, drop_priority: Option<u8>, constant: bool) -> ColumnFit {
        ColumnFit {
            natural,
            floor,
            drop_priority,
            constant,
            whole: false,
        }
    }

    #[test]
    fn fits_without_change_when_room() {
        let cols = [col(10, 10, Some(1), false), col(20, 5, None, false)];
        assert_eq!(fit(&cols, 80, 2), [Some(10), Some(20)]);
    }

    #[test]
    fn shrinks_before_dropping_then_drops_by_priority() {
        let cols = [
            col(10, 10, Some(5), false),
            col(40, 16, None, false),
            col(10, 10, Some(1), false),
        ];
        // 10+2+40+2+10 = 64 -> shrink the middle to 16+ first.
        assert_eq!(fit(&cols, 50, 2), [Some(10), Some(26), Some(10)]);
        // Floors need 10+2+16+2+10 = 40 > 35: drop priority 1 first.
        assert_eq!(fit(&cols, 35, 2), [Some(10), Some(23), None]);
    }

    #[test]
    fn constant_columns_go_first() {
        let cols = [
            col(10, 10, Some(90), true),
            col(40, 16, None, false),
            col(10, 10, Some(1), false),
        ];
        assert_eq!(fit(&cols, 35, 2), [None, Some(23), Some(10)]);
    }

    #[test]
    fn last_resort_shrinks_everything() {
        let cols = [col(36, 36, None, false), col(30, 16, None, false)];
        let widths = fit(&cols, 20, 2);
        let sum: usize = widths.iter().flatten().sum();
        assert_eq!(sum + 2, 20);
        let tiny = fit(&cols, 1, 2);
        assert_eq!(tiny, [Some(1), Some(1)], "cannot fit: as small as possible");
    }

    #[test]
    fn truncation_counts_display_columns() {
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcdef", 1), "…");
        assert_eq!(truncate("abcdef", 0), "");
        assert_eq!(truncate("中文名字", 5), "中文…");
        assert_eq!(display_width(&truncate("中文名字", 4)), 3);
    }
}
