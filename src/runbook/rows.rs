//! What a call-sites table says, its line numbers aside, so that a table is stale only
//! when the code changed what it says.
//!
//! A row is identified by its path, its function and its ordinal (the nth row of that
//! path and function, in line order); what it says is the rest of its cells (route, API,
//! `expires_at`, status). Two tables list the same sites when these agree, whatever the
//! line numbers in the Call site column and the `#` column. Any other line of the block
//! (the header, the delimiter, a hand-written row this module cannot read) must be the
//! same text at the same place among such lines.
//!
//! Reads the rows `report::table` writes (cells split on unescaped `|`, the Call site cell
//! a code span ending in `:LINE`); knows nothing else of their content.

use std::collections::BTreeMap;

/// What one line of a block contributes to the comparison.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Said {
    /// A row: (path cell without its line, function cell, ordinal), the other cells.
    Site {
        path: String,
        function: String,
        ordinal: usize,
        cells: String,
    },
    /// Any other line: the nth such line of the block, and its text.
    Text { nth: usize, text: String },
}

/// A row read back: the Call site cell split into path and line, and the cells compared.
struct Row {
    path: String,
    line: u64,
    function: String,
    cells: String,
}

/// A row's cells, split on the pipes that are not escaped (`\|` is a pipe inside a cell).
fn cells(line: &str) -> Option<Vec<&str>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    if inner.ends_with('\\') {
        return None;
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous = None;
    for (i, c) in inner.char_indices() {
        if c == '|' && previous != Some('\\') {
            out.push(inner[start..i].trim());
            start = i + 1;
        }
        previous = Some(c);
    }
    out.push(inner[start..].trim());
    Some(out)
}

/// `` `path:311` `` as (`` `path` ``, 311): the code span with its `:LINE` taken out.
fn call_site(cell: &str) -> Option<(String, u64)> {
    let unfenced = cell.trim_end_matches('`');
    let fence = cell.len() - unfenced.len();
    let unpadded = if fence > 0 {
        unfenced.strip_suffix(' ').unwrap_or(unfenced)
    } else {
        unfenced
    };
    let (path, line) = unpadded.rsplit_once(':')?;
    let unfenced_path = path.trim_start_matches('`').trim();
    if unfenced_path.is_empty() || line.is_empty() || !line.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((
        format!("{path}{}", &cell[cell.len() - fence..]),
        line.parse().ok()?,
    ))
}

fn row(line: &str) -> Option<Row> {
    let cells = cells(line)?;
    let [_number, site, function, rest @ ..] = cells.as_slice() else {
        return None;
    };
    let (path, line) = call_site(site)?;
    Some(Row {
        path,
        line,
        function: function.to_string(),
        cells: rest.join(" | "),
    })
}

/// What each line of a block says, in the block's order.
fn said(lines: &[&str]) -> Vec<Said> {
    let rows: Vec<Option<Row>> = lines.iter().map(|l| row(l)).collect();
    // The rows of each (path, function), in line order (table order breaks ties).
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (index, row) in rows.iter().enumerate() {
        if let Some(row) = row {
            groups
                .entry((&row.path, &row.function))
                .or_default()
                .push(index);
        }
    }
    let mut ordinals = vec![0; lines.len()];
    for members in groups.values_mut() {
        members.sort_by_key(|&i| rows[i].as_ref().map_or(0, |r| r.line));
        for (ordinal, &index) in members.iter().enumerate() {
            ordinals[index] = ordinal;
        }
    }
    let mut texts = 0;
    lines
        .iter()
        .zip(&rows)
        .enumerate()
        .map(|(index, (line, row))| match row {
            Some(row) => Said::Site {
                path: row.path.clone(),
                function: row.function.clone(),
                ordinal: ordinals[index],
                cells: row.cells.clone(),
            },
            None => {
                texts += 1;
                Said::Text {
                    nth: texts,
                    text: line.to_string(),
                }
            }
        })
        .collect()
}

/// Whether two blocks' lines list the same sites saying the same things, line numbers aside.
pub fn same_sites(current: &[&str], expected: &[&str]) -> bool {
    let mut a = said(current);
    let mut b = said(expected);
    a.sort();
    b.sort();
    a == b
}

/// The index of the first line of `current` that `expected` does not account for, line
/// numbers aside; `None` when every line is accounted for (`expected` then has more).
pub fn first_changed_line(current: &[&str], expected: &[&str]) -> Option<usize> {
    let mut wanted: BTreeMap<Said, usize> = BTreeMap::new();
    for said in said(expected) {
        *wanted.entry(said).or_default() += 1;
    }
    said(current)
        .into_iter()
        .position(|said| match wanted.get_mut(&said) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: [&str; 2] = [
        "| # | Call site | Function | Route | API | expires_at | Status |",
        "|---|---|---|---|---|---|---|",
    ];

    fn table(rows: &[&str]) -> Vec<String> {
        HEAD.iter().chain(rows).map(|l| l.to_string()).collect()
    }

    fn same(a: &[&str], b: &[&str]) -> bool {
        let (a, b) = (table(a), table(b));
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let b: Vec<&str> = b.iter().map(String::as_str).collect();
        same_sites(&a, &b)
    }

    const PAY: &str =
        "| 1 | `app/pay.py:10` | `pay` | — | `S.create` | `now() + TTL` | sanctioned |";
    const PAY_MOVED: &str =
        "| 1 | `app/pay.py:14` | `pay` | — | `S.create` | `now() + TTL` | sanctioned |";
    const PAY_BAD: &str =
        "| 1 | `app/pay.py:10` | `pay` | — | `S.create` | — | violation: CL001 missing-expires-at |";

    #[test]
    fn line_numbers_alone_do_not_count() {
        assert!(same(&[PAY], &[PAY_MOVED]));
        let other = "| 2 | `app/z.py:3` | `z` | — | `S.create` | — | violation: CL001 x |";
        let other_first = "| 1 | `app/z.py:3` | `z` | — | `S.create` | — | violation: CL001 x |";
        let pay_second = PAY_MOVED.replace("| 1 |", "| 2 |");
        assert!(same(&[PAY, other], &[other_first, &pay_second]));
    }

    #[test]
    fn status_function_route_and_sites_count() {
        assert!(!same(&[PAY], &[PAY_BAD]));
        assert!(!same(&[PAY], &[&PAY.replace("`pay`", "`pay2`")]));
        assert!(!same(&[PAY], &[&PAY.replace("| — |", "| `POST /pay` |")]));
        assert!(!same(&[PAY], &[&PAY.replace("app/pay.py", "app/pay2.py")]));
        assert!(!same(&[PAY], &[PAY, PAY_MOVED]));
        assert!(!same(&[PAY, PAY_MOVED], &[PAY]));
        assert!(!same(&[PAY], &[]));
    }

    #[test]
    fn two_sites_of_one_function_keep_their_order() {
        let first = PAY;
        let second = PAY_BAD.replace(":10`", ":20`");
        // The code now has the violation first and the sanctioned call second.
        let swapped_first = PAY_BAD.replace(":10`", ":12`");
        let swapped_second = PAY.replace(":10`", ":22`");
        assert!(!same(&[first, &second], &[&swapped_first, &swapped_second]));
        let shifted = [PAY.replace(":10`", ":11`"), PAY_BAD.replace(":10`", ":21`")];
        assert!(same(&[first, &second], &[&shifted[0], &shifted[1]]));
    }

    #[test]
    fn other_lines_must_be_the_same_text() {
        let a = vec![HEAD[0], HEAD[1], PAY];
        let b = vec![HEAD[1], HEAD[0], PAY];
        assert!(!same_sites(&a, &b));
        assert!(!same_sites(&a, &[HEAD[0], HEAD[1], "| hand-kept |"]));
        assert!(!same_sites(&[HEAD[0], "", HEAD[1], PAY], &a));
    }

    #[test]
    fn escaped_pipes_and_long_fences_are_read() {
        let row = "| 1 | ``a`b.py:7`` | `f` | — | `S.create` | `x \\| y` | suppressed: a\\|b |";
        let read = super::row(row).unwrap();
        assert_eq!((read.path.as_str(), read.line), ("``a`b.py``", 7));
        assert_eq!(read.cells, "— | `S.create` | `x \\| y` | suppressed: a\\|b");
        assert_eq!(
            call_site("`` `x.py:12 ``"),
            Some(("`` `x.py``".to_string(), 12))
        );
        assert_eq!(call_site("`x.py`"), None);
        assert_eq!(call_site("`:12`"), None);
    }

    #[test]
    fn the_first_changed_line_is_the_row_that_changed() {
        let current = table(&[
            PAY,
            "| 2 | `b.py:1` | `g` | — | `S.create` | — | sanctioned |",
        ]);
        let expected = table(&[
            PAY_MOVED,
            "| 2 | `b.py:1` | `g` | — | `S.create` | — | violation |",
        ]);
        let current: Vec<&str> = current.iter().map(String::as_str).collect();
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        assert_eq!(first_changed_line(&current, &expected), Some(3));
        assert_eq!(first_changed_line(&current[..3], &expected), None);
    }

    #[test]
    fn arbitrary_lines_never_panic() {
        for line in ["|", "||", "| \\|", "|`:1`|", "| a | `é:9` | f |", "|||||||"] {
            let _ = same_sites(&[line], &[line, line]);
        }
    }
}
