//! A small `--name value` option parser (the tool has few options).

use super::{CliError, CliResult};
use std::collections::HashMap;
use std::str::FromStr;

/// Positional arguments and `--name value` options.
pub struct Args {
    pub positional: Vec<String>,
    options: HashMap<String, String>,
}

impl Args {
    /// Splits `args`; every option must be one of `known` and have a value.
    pub fn parse(args: &[String], known: &[&str]) -> CliResult<Self> {
        let mut positional = Vec::new();
        let mut options = HashMap::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if !known.contains(&name) {
                    return Err(CliError::input(format!(
                        "unknown option --{name} (known: --{})",
                        known.join(", --")
                    )));
                }
                let value = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .cloned()
                        .ok_or_else(|| CliError::input(format!("--{name} needs a value")))?,
                };
                options.insert(name.to_string(), value);
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Self {
            positional,
            options,
        })
    }

    /// Whether `--name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.options.contains_key(name)
    }

    /// The value of `--name` parsed as T, or `default`.
    pub fn get<T: FromStr>(&self, name: &str, default: T) -> CliResult<T> {
        match self.options.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| CliError::input(format!("--{name}: cannot read {v:?} as a number"))),
        }
    }

    /// The value of `--name` as text.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    /// Exactly one positional argument, described as `what` in the error.
    pub fn one_positional(&self, what: &str) -> CliResult<&str> {
        match self.positional.as_slice() {
            [one] => Ok(one),
            [] => Err(CliError::input(format!("missing {what}"))),
            more => Err(CliError::input(format!(
                "expected one {what}, got {}: {:?}",
                more.len(),
                more
            ))),
        }
    }
}
