//! The renderer of each output format, with the options of the command line.

use std::io::{self, IsTerminal};

use wutriage::report::table::{terminal_width, Table, DEFAULT_WIDTH};
use wutriage::report::{csv, junit};
use wutriage::rules::spec::Rule;
use wutriage::scan::HostSpec;
use wutriage::triage::{
    csv_renderer, junit_renderer, renderer_with, table_renderer, Format, HostRenderer,
    RenderOptions,
};

use super::{Args, ColorChoice};

/// Whether the table is coloured.
fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The renderer for `format`, with the options of the command line.
pub fn choose_renderer(
    args: &Args,
    format: Format,
    hosts: &[HostSpec],
    rules: &[Rule],
) -> Box<dyn HostRenderer> {
    let to_stdout = args.output.as_ref().is_none_or(|p| p.as_os_str() == "-");
    let to_terminal = to_stdout && io::stdout().is_terminal();
    match format {
        Format::Table => {
            let width = if to_stdout {
                terminal_width()
            } else {
                DEFAULT_WIDTH
            };
            table_renderer(Table::new(
                hosts.iter().map(|h| h.name.as_str()),
                rules.iter().map(|r| r.id.as_str()),
                width,
                use_color(args.color, to_terminal),
                args.analysis.min_severity,
            ))
        }
        Format::Csv => csv_renderer(args.analysis.min_severity.unwrap_or(csv::DEFAULT_MIN)),
        Format::Junit => junit_renderer(args.analysis.fail_on.unwrap_or(junit::DEFAULT_FAIL_ON)),
        _ => {
            let opts = RenderOptions {
                rules: rules.to_vec(),
                sarif: args.sarif.options(),
            };
            let names = hosts.iter().map(|h| h.name.as_str());
            renderer_with(format, &args.root, names, &opts)
        }
    }
}
