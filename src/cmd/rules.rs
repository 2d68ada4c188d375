//! `wutriage rules list|lint`: the diagnostic rules, and checking rule files.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;
use wutriage::rules::spec::{check_unique_ids, load_dir, load_file, Rule};
use wutriage::scan::builtin_rules;

use super::{OutputFormat, EXIT_FINDING, EXIT_TROUBLE};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// List the rules: built in, and those in --rules DIR.
    List {
        /// Also load every *.toml rule file in DIR (ids must differ from the built-in ones).
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Check rule files; each problem names its file and line.
    Lint {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// The built-in rules with those of `dir` added (ids must be unique: a rule
/// with a built-in rule's id is an error), kept to the ids in `only` when it
/// is not empty.
pub fn rule_set(dir: Option<&PathBuf>, only: &[String]) -> anyhow::Result<Vec<Rule>> {
    let mut named: Vec<(String, Rule)> = builtin_rules()
        .iter()
        .map(|r| ("the built-in rules".to_string(), r.clone()))
        .collect();
    if let Some(dir) = dir {
        named.extend(load_dir(dir)?);
    }
    check_unique_ids(&named)?;
    let mut rules: Vec<Rule> = named.into_iter().map(|(_, r)| r).collect();
    if !only.is_empty() {
        if let Some(unknown) = only.iter().find(|id| !rules.iter().any(|r| &r.id == *id)) {
            anyhow::bail!("no rule with id {unknown:?} (see `wutriage rules list`)");
        }
        rules.retain(|r| only.contains(&r.id));
    }
    Ok(rules)
}

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    codes: Vec<String>,
    os: Vec<String>,
    hive: &'static str,
    key: &'a str,
    source: &'a str,
    source_url: Option<&'a str>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.action {
        Action::List { rules, format } => {
            let rules = match rule_set(rules.as_ref(), &[]) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("wutriage: {e}");
                    return Ok(ExitCode::from(EXIT_TROUBLE));
                }
            };
            let listed: Vec<Listed> = rules
                .iter()
                .map(|r| Listed {
                    id: &r.id,
                    title: &r.title,
                    codes: r.codes.iter().map(|c| c.to_string()).collect(),
                    os: r
                        .os
                        .iter()
                        .map(|o| {
                            serde_json::to_value(o)
                                .unwrap()
                                .as_str()
                                .unwrap_or("")
                                .to_string()
                        })
                        .collect(),
                    hive: r.hive.as_str(),
                    key: &r.key,
                    source: &r.source,
                    source_url: r.source_url.as_deref(),
                })
                .collect();
            match format {
                OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&listed)?),
                OutputFormat::Text => {
                    for l in &listed {
                        println!("{:<30} {}", l.id, l.title);
                        println!(
                            "{:<30} codes {}; {} {}",
                            "",
                            l.codes.join(", "),
                            l.hive,
                            l.key
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Action::Lint { files } => {
            let mut broken = false;
            let mut loaded = Vec::new();
            for f in &files {
                match load_file(f) {
                    Ok(rule) => {
                        println!(
                            "{}: ok ({}, {} check sets)",
                            f.display(),
                            rule.id,
                            rule.check_sets.len()
                        );
                        loaded.push((f.display().to_string(), rule));
                    }
                    Err(e) => {
                        println!("{e}");
                        broken = true;
                    }
                }
            }
            if let Err(e) = check_unique_ids(&loaded) {
                println!("{e}");
                broken = true;
            }
            Ok(ExitCode::from(if broken { EXIT_FINDING } else { 0 }))
        }
    }
}
