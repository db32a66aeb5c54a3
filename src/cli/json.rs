//! Reading fixture-format JSON with errors that name the field.

use super::{CliError, CliResult};
use ndarray::{Array1, Array2};
use rnn_lab::engine::{LIMITS, PARAM_NAMES, Params, TokenVocab, limits};
use serde_json::{Map, Value, json};

/// `path: message` as an input error.
pub fn bad(path: &str, message: impl std::fmt::Display) -> CliError {
    CliError::input(format!("{path}: {message}"))
}

/// The JSON object at `v`, or an error naming `path`.
pub fn object<'a>(v: &'a Value, path: &str) -> CliResult<&'a Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| bad(path, "expected a JSON object"))
}

/// Field `name` of `obj`, required.
pub fn field<'a>(obj: &'a Map<String, Value>, name: &str, path: &str) -> CliResult<&'a Value> {
    obj.get(name)
        .ok_or_else(|| bad(&join(path, name), "missing"))
}

/// `path.name`, or `name` at the top level.
pub fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// A finite number.
pub fn number(v: &Value, path: &str) -> CliResult<f64> {
    match v.as_f64() {
        Some(x) if x.is_finite() => Ok(x),
        _ => Err(bad(path, format!("expected a finite number, got {v}"))),
    }
}

/// A whole number ≥ 0.
pub fn whole(v: &Value, path: &str) -> CliResult<usize> {
    v.as_u64()
        .and_then(|x| usize::try_from(x).ok())
        .ok_or_else(|| bad(path, format!("expected a whole number ≥ 0, got {v}")))
}

/// A list of `len` finite numbers (any length when `len` is None).
pub fn vector(v: &Value, path: &str, len: Option<usize>) -> CliResult<Array1<f64>> {
    let list = v
        .as_array()
        .ok_or_else(|| bad(path, "expected a list of numbers"))?;
    if let Some(n) = len
        && list.len() != n
    {
        return Err(bad(
            path,
            format!("expected {n} numbers, got {}", list.len()),
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, x)| number(x, &format!("{path}[{i}]")))
        .collect()
}

/// The number of rows of a list of lists.
pub fn matrix_rows(v: &Value, path: &str) -> CliResult<usize> {
    v.as_array()
        .map(Vec::len)
        .ok_or_else(|| bad(path, "expected a list of rows"))
}

/// A [rows, cols] matrix as a row-major list of lists. The shape is checked
/// before the matrix is allocated.
pub fn matrix(v: &Value, path: &str, rows: usize, cols: usize) -> CliResult<Array2<f64>> {
    let list = v
        .as_array()
        .ok_or_else(|| bad(path, "expected a list of rows"))?;
    let most = LIMITS.hidden.max(LIMITS.vocab);
    if rows > most || cols > most {
        return Err(bad(
            path,
            format!(
                "a {rows}×{cols} matrix is above the engine's limit of {most} rows and columns"
            ),
        ));
    }
    if list.len() != rows {
        return Err(bad(
            path,
            format!("expected {rows} rows ({rows}×{cols}), got {}", list.len()),
        ));
    }
    let mut m = Array2::zeros((rows, cols));
    for (r, row) in list.iter().enumerate() {
        let row = vector(row, &format!("{path}[{r}]"), Some(cols))?;
        m.row_mut(r).assign(&row);
    }
    Ok(m)
}

/// The five tensors under `path` (an object with W_xh, W_hh, W_hy, b_h, b_y)
/// for V symbols and H hidden units. Other keys (such as h0) are ignored.
pub fn params(v: &Value, path: &str, vocab: usize, hidden: usize) -> CliResult<Params> {
    // The sizes first: every tensor below is allocated from them.
    limits::check_hidden(hidden).map_err(|e| bad("H", e))?;
    limits::at_most("V (the vocabulary size)", vocab, LIMITS.vocab).map_err(|e| bad("V", e))?;
    let obj = object(v, path)?;
    let get = |name: &str| field(obj, name, path);
    // W_hh first: H is read from it when the input does not give H.
    let w_hh = matrix(get("W_hh")?, &join(path, "W_hh"), hidden, hidden)?;
    Ok(Params {
        w_xh: matrix(get("W_xh")?, &join(path, "W_xh"), hidden, vocab)?,
        w_hh,
        w_hy: matrix(get("W_hy")?, &join(path, "W_hy"), vocab, hidden)?,
        b_h: vector(get("b_h")?, &join(path, "b_h"), Some(hidden))?,
        b_y: vector(get("b_y")?, &join(path, "b_y"), Some(vocab))?,
    })
}

/// Symbol indices, each < `vocab`: whole numbers, or token names of `names`
/// (the input's `vocab`) when it is given; `null` entries become None.
/// A sequence has at most [`LIMITS`]`.seq` steps.
pub fn indices(
    v: &Value,
    path: &str,
    vocab: usize,
    names: Option<&TokenVocab>,
) -> CliResult<Vec<Option<usize>>> {
    let list = v
        .as_array()
        .ok_or_else(|| bad(path, "expected a list of symbol indices"))?;
    limits::at_most("the number of steps", list.len(), LIMITS.seq).map_err(|e| bad(path, e))?;
    list.iter()
        .enumerate()
        .map(|(i, x)| {
            let p = format!("{path}[{i}]");
            if x.is_null() {
                return Ok(None);
            }
            if let Some(token) = x.as_str() {
                let names = names.ok_or_else(|| {
                    bad(
                        &p,
                        format!("{x} is a token name, but the input has no vocab to look it up in"),
                    )
                })?;
                return names.index_of(token).map(Some).map_err(|e| bad(&p, e));
            }
            let k = whole(x, &p)?;
            if k >= vocab {
                return Err(bad(
                    &p,
                    format!("index {k} is outside the vocabulary of {vocab} symbols"),
                ));
            }
            Ok(Some(k))
        })
        .collect()
}

/// A matrix as nested lists.
pub fn mat(m: &Array2<f64>) -> Value {
    Value::Array(m.rows().into_iter().map(|r| json!(r.to_vec())).collect())
}

/// The five tensors as an object under their fixture names.
pub fn params_json(p: &Params) -> Map<String, Value> {
    let mut o = Map::new();
    for (name, value) in PARAM_NAMES.iter().zip([
        mat(&p.w_xh),
        mat(&p.w_hh),
        mat(&p.w_hy),
        json!(p.b_h.to_vec()),
        json!(p.b_y.to_vec()),
    ]) {
        o.insert((*name).to_string(), value);
    }
    o
}
