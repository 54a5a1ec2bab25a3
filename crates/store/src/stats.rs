//! The store's statistics (DOMAIN.md section 6): each indicator's figure and its parts, computed
//! from the records when asked.

use ozodi_domain::stats::Indicator;

/// A value of a figure: a count, or an amount of money in diram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    /// How many.
    Count(i64),
    /// Diram.
    Money(i64),
}

/// One part of a figure: a breakdown by a vocabulary term (`list` names the list) or by a fixed
/// key (`list` is `None`, `key` a translation key's tail), or a further value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The vocabulary list `key` is a term of, if it is one.
    pub list: Option<&'static str>,
    /// The term's code, or the key.
    pub key: String,
    /// The value.
    pub amount: Amount,
}

impl Part {
    /// A count by a vocabulary term.
    pub fn term(list: &'static str, code: impl Into<String>, n: i64) -> Part {
        Part { list: Some(list), key: code.into(), amount: Amount::Count(n) }
    }

    /// A count under a fixed key.
    pub fn count(key: &str, n: i64) -> Part {
        Part { list: None, key: key.to_owned(), amount: Amount::Count(n) }
    }

    /// An amount of money under a fixed key.
    pub fn money(key: &str, diram: i64) -> Part {
        Part { list: None, key: key.to_owned(), amount: Amount::Money(diram) }
    }
}

/// One indicator's figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    /// Which indicator.
    pub indicator: Indicator,
    /// The headline value.
    pub value: i64,
    /// Its breakdowns and further values.
    pub parts: Vec<Part>,
}

impl Figure {
    /// The part under `key` (a code or a fixed key), if there is one.
    pub fn part(&self, key: &str) -> Option<i64> {
        self.parts.iter().find(|p| p.key == key).map(|p| match p.amount {
            Amount::Count(n) | Amount::Money(n) => n,
        })
    }
}

/// A table of counts before disclosure control: rows and columns by their keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountTable {
    /// Which table (a translation key's tail).
    pub code: &'static str,
    /// The vocabulary list the row keys are terms of, if any.
    pub row_list: Option<&'static str>,
    /// The row keys, in order.
    pub rows: Vec<String>,
    /// The column keys, in order.
    pub columns: Vec<String>,
    /// `counts[r][c]`.
    pub counts: Vec<Vec<u64>>,
}

impl CountTable {
    /// Builds a table from `(row, column, count)` triples, rows and columns in key order.
    pub fn from_triples(
        code: &'static str,
        row_list: Option<&'static str>,
        triples: &[(String, String, i64)],
    ) -> CountTable {
        let mut rows: Vec<String> = triples.iter().map(|t| t.0.clone()).collect();
        rows.sort();
        rows.dedup();
        let mut columns: Vec<String> = triples.iter().map(|t| t.1.clone()).collect();
        columns.sort();
        columns.dedup();
        let mut counts = vec![vec![0u64; columns.len()]; rows.len()];
        for (r, c, n) in triples {
            if let (Some(i), Some(j)) =
                (rows.iter().position(|x| x == r), columns.iter().position(|x| x == c))
            {
                counts[i][j] += u64::try_from(*n).unwrap_or(0);
            }
        }
        CountTable { code, row_list, rows, columns, counts }
    }
}
