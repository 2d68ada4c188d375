//! `Get-WindowsUpdateLog` output (Windows 10 and later):
//! `YYYY/MM/DD HH:MM:SS.fffffff PID TID Component text`, PID and TID
//! decimal, the component padded to 15 columns. Some versions write the date
//! as `YYYY-MM-DD`.

use super::head::{scan, Head, RawStamp};

/// Width the component column is padded to.
const COMPONENT_WIDTH: usize = 15;

/// Parses one line (without its line end).
#[inline]
pub(crate) fn parse(s: &[u8]) -> Option<Head<'_>> {
    if !scan::date(s, b"/-") || s.get(10) != Some(&b' ') {
        return None;
    }
    let hms = scan::hms(s, 11)?;
    if s.get(19) != Some(&b'.') {
        return None;
    }
    let fe = 20
        + s[20..]
            .iter()
            .take(10)
            .take_while(|b| b.is_ascii_digit())
            .count();
    if fe == 20 || fe > 29 {
        return None;
    }
    let i = sep(s, fe)?;
    let (pid, e) = scan::dec(s, i)?;
    let i = sep(s, e)?;
    let (tid, e) = scan::dec(s, i)?;
    let i = sep(s, e)?;
    let ce = scan::to_ws(s, i);
    // The text starts after the padded column and one space; extra spaces
    // beyond that are the text's own indentation.
    let padded = i + COMPONENT_WIDTH + 1;
    let ts = if ce - i < COMPONENT_WIDTH
        && s.len() >= padded
        && s[ce..padded].iter().all(|&b| b == b' ')
    {
        padded
    } else {
        (ce + 1).min(s.len())
    };
    Some(Head {
        stamp: RawStamp {
            date: &s[..10],
            hms,
            frac: &s[20..fe],
            offset: None,
        },
        pid: Some(pid),
        tid: Some(tid),
        component: &s[i..ce],
        text: &s[ts..],
        reported: None,
    })
}

#[inline]
fn sep(s: &[u8], i: usize) -> Option<usize> {
    let j = scan::skip_ws(s, i);
    (j > i && j < s.len()).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_and_dash_dates() {
        let h = parse(
            b"2023/06/13 12:39:51.4529353 4596  12908 Agent           *FAILED* [8024000E] file",
        )
        .unwrap();
        assert_eq!((h.pid, h.tid), (Some(4596), Some(12908)));
        assert_eq!(h.component, b"Agent");
        assert_eq!(h.text, b"*FAILED* [8024000E] file");
        assert_eq!(
            h.stamp.naive().unwrap().to_string(),
            "2023-06-13 12:39:51.452935300"
        );
        let h =
            parse(b"2024-04-11 12:48:04.6269606 1980  8444  DownloadManager PurgeContent").unwrap();
        assert_eq!(h.component, b"DownloadManager");
        assert_eq!(h.text, b"PurgeContent");
    }

    #[test]
    fn indentation_of_the_text_is_kept() {
        let h =
            parse(b"2025/01/05 15:53:50.6531545 6052  12052 Deployment        Title = x").unwrap();
        assert_eq!(h.component, b"Deployment");
        assert_eq!(h.text, b"  Title = x");
    }

    #[test]
    fn rejects_classic() {
        assert!(parse(b"2021-08-28\t03:07:48:216\t 648\t13bc\tReport\tx").is_none());
        assert!(parse(b"2021-08-28 03:07:48:216 648 13bc Report x").is_none());
    }
}
