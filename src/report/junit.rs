//! JUnit XML for CI dashboards: a test suite per host, a test case per
//! rule. A finding at or above the fail level is a `failure` with its
//! evidence; a rule that does not apply, or could not be judged below that
//! level, is `skipped`; unreadable inputs are one `error` test case.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::finding::{Finding, Severity, Verdict};
use crate::scan::HostReport;

/// The fail level when none is given.
pub const DEFAULT_FAIL_ON: Severity = Severity::Medium;
/// The test case that reports a host's unreadable inputs.
pub const INPUTS_CASE: &str = "inputs";

/// Text made safe for XML 1.0 character data and attributes: markup
/// characters escaped, characters XML cannot hold (controls other than tab,
/// line feed, carriage return; U+FFFE, U+FFFF) written as `[U+XXXX]`.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "[U+{:04X}]", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The failure text: summary, codes, counts, example lines, registry problems.
pub fn evidence_text(f: &Finding) -> String {
    let mut t = format!("{} ({} {}): {}\n", f.rule, f.verdict, f.severity, f.summary);
    if !f.codes.is_empty() {
        let _ = writeln!(t, "codes: {}", crate::finding::join_codes(&f.codes, ", "));
    }
    if let Some(reg) = &f.registry {
        let _ = writeln!(t, "registry: {} in {}", reg.key, reg.source);
        if let Some(why) = &reg.unreadable {
            let _ = writeln!(t, "  unreadable: {why}");
        }
        for p in &reg.problems {
            let actual = p.actual.as_ref().map(|a| format!("{} {}", a.ty, a.data));
            let _ = writeln!(
                t,
                "  {} {}: expected {} {}, found {}",
                p.value,
                p.problem,
                p.expected.ty,
                p.expected.data,
                actual.as_deref().unwrap_or("nothing")
            );
        }
    }
    for e in f.log.iter().flat_map(|l| &l.errors) {
        let name = e.name.as_deref().unwrap_or("");
        let span = match (&e.first, &e.last) {
            (Some(a), Some(b)) => format!(", {a} to {b}"),
            _ => String::new(),
        };
        let _ = writeln!(t, "log: {} {name} on {} line(s){span}", e.code, e.count);
        for x in &e.examples {
            let _ = writeln!(t, "  {}:{}: {}", x.file, x.line, x.text);
        }
    }
    for r in &f.registry_errors {
        let _ = writeln!(t, "registry result: {} in {} ({})", r.code, r.key, r.source);
    }
    t
}

fn case(out: &mut String, host: &str, f: &Finding, fail_on: Severity) {
    let name = xml_escape(&format!("{}: {}", f.rule, f.title));
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{name}\">",
        xml_escape(host)
    );
    let message = xml_escape(&format!("{} {}: {}", f.verdict, f.severity, f.summary));
    if f.severity >= fail_on {
        let _ = write!(
            out,
            "<failure type=\"{}\" message=\"{message}\">{}</failure>",
            f.verdict,
            xml_escape(&evidence_text(f))
        );
    } else if matches!(f.verdict, Verdict::NotApplicable | Verdict::Inconclusive) {
        let _ = write!(out, "<skipped message=\"{message}\"/>");
    } else {
        let _ = write!(out, "<system-out>{message}</system-out>");
    }
    out.push_str("</testcase>\n");
}

/// A host's test suite.
pub fn suite(host: &HostReport, fail_on: Severity) -> String {
    let failures = host
        .findings
        .iter()
        .filter(|f| f.severity >= fail_on)
        .count();
    let skipped = host
        .findings
        .iter()
        .filter(|f| f.severity < fail_on)
        .filter(|f| matches!(f.verdict, Verdict::NotApplicable | Verdict::Inconclusive))
        .count();
    let bad: Vec<String> = host
        .input_errors()
        .map(|i| format!("{}: {}", i.path, i.error.as_deref().unwrap_or("")))
        .collect();
    let errors = usize::from(!bad.is_empty());
    let tests = host.findings.len() + errors;
    let name = xml_escape(&host.host);
    let mut out = format!(
        "  <testsuite name=\"{name}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n"
    );
    if let Some(c) = &host.computer_name {
        let _ = writeln!(
            out,
            "    <properties><property name=\"computer_name\" value=\"{}\"/></properties>",
            xml_escape(c)
        );
    }
    for f in &host.findings {
        case(&mut out, &host.host, f, fail_on);
    }
    if errors > 0 {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{name}\" name=\"{INPUTS_CASE}\"><error type=\"unreadable\" message=\"{} input(s) could not be read\">{}</error></testcase>",
            bad.len(),
            xml_escape(&bad.join("\n"))
        );
    }
    out.push_str("  </testsuite>\n");
    out
}

/// Writes the document as hosts arrive.
pub struct JunitWriter {
    /// A host's test fails when a finding is at least this severe.
    pub fail_on: Severity,
}

impl JunitWriter {
    /// Writes the document's start.
    pub fn begin(&self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"wutriage\">\n")
    }
    /// Writes one host as a test suite.
    pub fn host(&self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        w.write_all(suite(host, self.fail_on).as_bytes())
    }
    /// Writes the document's end.
    pub fn end(&self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(b"</testsuites>\n")
    }
}

/// A whole document for `hosts`.
pub fn render(hosts: &[HostReport], fail_on: Severity) -> String {
    let mut out = Vec::new();
    let w = JunitWriter { fail_on };
    let _ = w.begin(&mut out);
    for h in hosts {
        let _ = w.host(&mut out, h);
    }
    let _ = w.end(&mut out);
    String::from_utf8(out).expect("UTF-8 throughout")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(
            xml_escape("x\u{1}y\u{1b}[0m\u{FFFF}"),
            "x[U+0001]y[U+001B][0m[U+FFFF]"
        );
        assert_eq!(xml_escape("tab\tlf\ncr\r"), "tab\tlf\ncr&#13;");
        assert_eq!(xml_escape("é ✓"), "é ✓");
    }
}
