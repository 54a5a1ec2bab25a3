//! Statistical disclosure control for published tables (DOMAIN.md section 7, rule 7): no cell
//! below 5 people may be published, and none may be worked out from what is published.
//!
//! A table is published with its row totals, column totals and grand total. Every entry from 1 to
//! 4 (a cell or a total) is suppressed (primary suppression). That alone is undone by the obvious
//! attack: a row's total minus its other cells. So the published entries are audited as the
//! linear system an attacker would solve (each row's cells add up to its total, each column's to
//! its total, the totals to the grand total): while any suppressed entry is determined by what is
//! published, one more entry of its row or column is suppressed (the smallest that is not zero;
//! secondary suppression). A suppressed entry is determined exactly when its unit vector lies in
//! the row space of the system restricted to the suppressed entries, which is checked by exact
//! elimination over the rationals. The row totals of a published table are the one-way table by
//! its rows, so publishing both cannot be differenced either: they are one system.

/// The smallest number of people a published cell may show.
pub const THRESHOLD: u64 = 5;

/// A published entry: a number, or suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Safe to show.
    Shown(u64),
    /// Withheld (shown as "<5" or "x"; never the number).
    Suppressed,
}

/// A table ready to publish: cells, row totals, column totals and the grand total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// `cells[r][c]`.
    pub cells: Vec<Vec<Entry>>,
    /// The total of each row.
    pub row_totals: Vec<Entry>,
    /// The total of each column.
    pub column_totals: Vec<Entry>,
    /// The grand total.
    pub total: Entry,
}

/// The table with its margins as one grid: `(rows + 1) × (columns + 1)`, the last column the row
/// totals, the last row the column totals, the corner the grand total.
fn grid(counts: &[Vec<u64>]) -> Vec<Vec<u64>> {
    let columns = counts.first().map_or(0, Vec::len);
    let mut g: Vec<Vec<u64>> = counts
        .iter()
        .map(|row| {
            let mut r = row.clone();
            r.resize(columns, 0);
            r.push(row.iter().sum());
            r
        })
        .collect();
    let mut bottom: Vec<u64> = (0..=columns).map(|c| g.iter().map(|r| r[c]).sum()).collect();
    bottom.truncate(columns + 1);
    g.push(bottom);
    g
}

/// The equations of the grid: for each row, its entries minus its total; for each column, its
/// entries minus its total. As lists of (row, column, coefficient).
fn equations(rows: usize, columns: usize) -> Vec<Vec<(usize, usize, i64)>> {
    let mut out = Vec::new();
    for r in 0..=rows {
        let mut eq: Vec<(usize, usize, i64)> = (0..columns).map(|c| (r, c, 1)).collect();
        eq.push((r, columns, -1));
        out.push(eq);
    }
    for c in 0..=columns {
        let mut eq: Vec<(usize, usize, i64)> = (0..rows).map(|r| (r, c, 1)).collect();
        eq.push((rows, c, -1));
        out.push(eq);
    }
    out
}

/// Whether the suppressed entry `target` is determined by the equations once every shown entry is
/// known: whether its unit vector is in the row space of the equations restricted to the
/// suppressed entries (exact elimination with fractions of i128).
fn determined(
    suppressed: &[(usize, usize)],
    eqs: &[Vec<(usize, usize, i64)>],
    target: (usize, usize),
) -> bool {
    let index = |cell: (usize, usize)| suppressed.iter().position(|s| *s == cell);
    let n = suppressed.len();
    // Rows of the matrix over the suppressed entries, as rationals (numerators over a common
    // denominator per row: integer rows stay integer under fraction-free elimination).
    let mut matrix: Vec<Vec<i128>> = eqs
        .iter()
        .map(|eq| {
            let mut row = vec![0i128; n];
            for (r, c, k) in eq {
                if let Some(i) = index((*r, *c)) {
                    row[i] += i128::from(*k);
                }
            }
            row
        })
        .filter(|row| row.iter().any(|x| *x != 0))
        .collect();
    // Fraction-free Gaussian elimination to echelon form.
    let mut pivot_row = 0;
    for col in 0..n {
        let Some(p) = (pivot_row..matrix.len()).find(|&i| matrix[i][col] != 0) else { continue };
        matrix.swap(pivot_row, p);
        for i in 0..matrix.len() {
            if i != pivot_row && matrix[i][col] != 0 {
                let (a, b) = (matrix[pivot_row][col], matrix[i][col]);
                let pivot = matrix[pivot_row].clone();
                for (x, p) in matrix[i].iter_mut().zip(&pivot) {
                    *x = *x * a - p * b;
                }
                let g = matrix[i].iter().fold(0i128, |g, x| gcd(g, x.abs()));
                if g > 1 {
                    for x in &mut matrix[i] {
                        *x /= g;
                    }
                }
            }
        }
        pivot_row += 1;
        if pivot_row == matrix.len() {
            break;
        }
    }
    // In reduced form, the unit vector of `target` is in the row space exactly when some row has
    // its only non-zero entry at `target`.
    let Some(t) = index(target) else { return true };
    matrix.iter().any(|row| row[t] != 0 && row.iter().enumerate().all(|(j, x)| j == t || *x == 0))
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Suppresses `counts` (rows × columns) for publication.
pub fn publish(counts: &[Vec<u64>]) -> Published {
    let rows = counts.len();
    let columns = counts.first().map_or(0, Vec::len);
    let g = grid(counts);
    let eqs = equations(rows, columns);
    let mut suppressed: Vec<(usize, usize)> = Vec::new();
    for (r, row) in g.iter().enumerate() {
        for (c, n) in row.iter().enumerate() {
            if (1..THRESHOLD).contains(n) {
                suppressed.push((r, c));
            }
        }
    }
    // Secondary suppression until nothing suppressed can be worked out. For a determined cell,
    // the cheapest rectangle through it (a partner row and column whose three other cells are not
    // zero) is suppressed: a rectangle is the smallest pattern whose cells the margins cannot
    // separate. A determined total, or a cell without a rectangle, takes the smallest shown entry
    // of its row, else of its column, else anywhere.
    let cost = |cells: &[(usize, usize)], suppressed: &[(usize, usize)]| -> Option<u64> {
        let mut sum = 0;
        for x in cells {
            if suppressed.contains(x) {
                continue;
            }
            if g[x.0][x.1] == 0 {
                return None;
            }
            sum += g[x.0][x.1];
        }
        Some(sum)
    };
    while let Some(&(r, c)) = suppressed.iter().find(|cell| determined(&suppressed, &eqs, **cell)) {
        let mut best: Option<(u64, [(usize, usize); 3])> = None;
        if r < rows && c < columns {
            for r2 in (0..rows).filter(|x| *x != r) {
                for c2 in (0..columns).filter(|x| *x != c) {
                    let three = [(r, c2), (r2, c), (r2, c2)];
                    if let Some(k) = cost(&three, &suppressed)
                        && best.is_none_or(|(b, _)| k < b)
                    {
                        best = Some((k, three));
                    }
                }
            }
        }
        let added = match best {
            Some((_, three)) if three.iter().any(|x| !suppressed.contains(x)) => {
                for x in three {
                    if !suppressed.contains(&x) {
                        suppressed.push(x);
                    }
                }
                true
            }
            _ => {
                let smallest = |cells: Vec<(usize, usize)>| {
                    cells
                        .into_iter()
                        .filter(|x| !suppressed.contains(x) && g[x.0][x.1] > 0)
                        .min_by_key(|x| g[x.0][x.1])
                };
                let next = smallest((0..=columns).map(|j| (r, j)).collect())
                    .or_else(|| smallest((0..=rows).map(|i| (i, c)).collect()))
                    .or_else(|| {
                        smallest((0..=rows).flat_map(|i| (0..=columns).map(move |j| (i, j))).collect())
                    });
                match next {
                    Some(x) => {
                        suppressed.push(x);
                        true
                    }
                    None => false,
                }
            }
        };
        // Everything not zero is suppressed: nothing is left to give away.
        if !added {
            break;
        }
    }
    let entry = |r: usize, c: usize| {
        if suppressed.contains(&(r, c)) { Entry::Suppressed } else { Entry::Shown(g[r][c]) }
    };
    Published {
        cells: (0..rows).map(|r| (0..columns).map(|c| entry(r, c)).collect()).collect(),
        row_totals: (0..rows).map(|r| entry(r, columns)).collect(),
        column_totals: (0..columns).map(|c| entry(rows, c)).collect(),
        total: entry(rows, columns),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(e: Entry) -> Option<u64> {
        match e {
            Entry::Shown(n) => Some(n),
            Entry::Suppressed => None,
        }
    }

    /// The published entry at a place of the grid (cells, then the margins).
    fn entry_at(p: &Published, (rows, columns): (usize, usize), (r, c): (usize, usize)) -> Entry {
        match (r < rows, c < columns) {
            (true, true) => p.cells[r][c],
            (true, false) => p.row_totals[r],
            (false, true) => p.column_totals[c],
            (false, false) => p.total,
        }
    }

    /// The obvious attack on every row and column: its total minus the cells shown. Returns the
    /// values it pins down for a single suppressed cell.
    fn obvious_attack(p: &Published) -> Vec<u64> {
        let mut found = Vec::new();
        let lines: Vec<(Vec<Entry>, Entry)> = p
            .cells
            .iter()
            .cloned()
            .zip(p.row_totals.iter().copied())
            .chain(
                (0..p.column_totals.len())
                    .map(|c| (p.cells.iter().map(|r| r[c]).collect(), p.column_totals[c])),
            )
            .chain([(p.row_totals.clone(), p.total), (p.column_totals.clone(), p.total)])
            .collect();
        for (cells, total) in lines {
            let hidden = cells.iter().filter(|e| **e == Entry::Suppressed).count();
            if let (1, Some(total)) = (hidden, shown(total)) {
                let visible: u64 = cells.iter().filter_map(|e| shown(*e)).sum();
                found.push(total - visible);
            }
        }
        found
    }

    #[test]
    fn small_cells_are_suppressed_and_the_obvious_attack_finds_nothing() {
        // Regions × sex: Khatlon has 3 women.
        let counts = vec![vec![12, 9], vec![3, 14], vec![20, 25]];
        let p = publish(&counts);
        assert_eq!(p.cells[1][0], Entry::Suppressed);
        assert!(obvious_attack(&p).is_empty(), "{p:?}");
        // Something else had to go with it: a row total minus one cell would give it away.
        let hidden = p.cells.iter().flatten().filter(|e| **e == Entry::Suppressed).count()
            + p.row_totals.iter().chain(&p.column_totals).filter(|e| **e == Entry::Suppressed).count();
        assert!(hidden >= 2);
        // Large cells are shown as they are.
        assert_eq!(p.cells[2][1], Entry::Shown(25));
    }

    #[test]
    fn no_suppressed_entry_can_be_solved_for_in_random_tables() {
        // A fixed-seed generator of small tables with many small cells.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let rows = 1 + (next() % 5) as usize;
            let columns = 1 + (next() % 5) as usize;
            let counts: Vec<Vec<u64>> = (0..rows)
                .map(|_| (0..columns).map(|_| [0, 1, 2, 3, 4, 6, 9, 15, 40][(next() % 9) as usize]).collect())
                .collect();
            let p = publish(&counts);
            let g = grid(&counts);
            // Every entry from 1 to 4 is withheld.
            let mut suppressed = Vec::new();
            for (r, line) in g.iter().enumerate() {
                for (c, value) in line.iter().enumerate() {
                    let e = entry_at(&p, (rows, columns), (r, c));
                    if (1..THRESHOLD).contains(value) {
                        assert_eq!(e, Entry::Suppressed, "{counts:?} ({r}, {c})");
                    }
                    match e {
                        Entry::Shown(n) => assert_eq!(n, *value),
                        Entry::Suppressed => suppressed.push((r, c)),
                    }
                }
            }
            // The obvious attack never reveals a small number.
            for v in obvious_attack(&p) {
                assert!(!(1..THRESHOLD).contains(&v), "{counts:?} gave away {v}");
            }
            // And no suppressed entry is determined by the whole system.
            let eqs = equations(rows, columns);
            for cell in &suppressed {
                let small = (1..THRESHOLD).contains(&g[cell.0][cell.1]);
                assert!(
                    !(small && determined(&suppressed, &eqs, *cell)),
                    "{counts:?}: {cell:?} can be solved for"
                );
            }
        }
    }

    #[test]
    fn a_one_way_table_and_its_two_way_breakdown_cannot_be_differenced() {
        // Published together: documented cases by region (the row totals) and by region × year.
        // Khatlon 2025 has 2; the attack subtracts Khatlon 2026 from the Khatlon total.
        let counts = vec![vec![10, 12], vec![2, 11], vec![7, 8]];
        let p = publish(&counts);
        assert_eq!(p.cells[1][0], Entry::Suppressed);
        if let (Entry::Shown(total), Entry::Shown(other)) = (p.row_totals[1], p.cells[1][1]) {
            panic!("Khatlon total {total} minus 2026 {other} gives 2025 away");
        }
        assert!(obvious_attack(&p).iter().all(|v| !(1..THRESHOLD).contains(v)));
    }

    #[test]
    fn determination_is_exact() {
        // In a table of one row the column totals are the cells: two suppressed cells are still
        // known; one suppressed cell too.
        let eqs = equations(1, 2);
        assert!(determined(&[(0, 0), (0, 1)], &eqs, (0, 0)));
        assert!(determined(&[(0, 0)], &eqs, (0, 0)));
        // With their column totals withheld as well, they are free.
        assert!(!determined(&[(0, 0), (0, 1), (1, 0), (1, 1)], &eqs, (0, 0)));
        // A 2 × 2 block in a larger table with shown totals: free.
        let eqs = equations(2, 2);
        assert!(!determined(&[(0, 0), (0, 1), (1, 0), (1, 1)], &eqs, (1, 1)));
    }
}
