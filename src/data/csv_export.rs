use super::csv_table::{CsvError, CsvOptions, read_records};
use super::spaced::written_with;

/// The user's own rows, unchanged and all of them (but a spreadsheet's title above the table
/// and its totals row below, which the table's notes name), with `cluster` and `confidence`
/// appended.
/// `cluster` and `confidence` are of the `kept` rows (all when `None`); the others get empty
/// cells. Reads the file again with the same options rather than keeping every cell as text
/// in memory during training.
pub fn append_result_columns(
    bytes: &[u8],
    options: &CsvOptions,
    kept: Option<&[u32]>,
    cluster: &[u32],
    confidence: &[f32],
) -> Result<Vec<u8>, CsvError> {
    let (header, records, delimiter) = read_records(bytes, options)?;
    assert_eq!(
        kept.map_or(records.len(), <[u32]>::len),
        cluster.len(),
        "results must come from this file"
    );
    // Each file row's place among the results, if it has one.
    let mut result_of: Vec<Option<usize>> = match kept {
        None => (0..records.len()).map(Some).collect(),
        Some(_) => vec![None; records.len()],
    };
    if let Some(kept) = kept {
        for (i, &r) in kept.iter().enumerate() {
            result_of[r as usize] = Some(i);
        }
    }
    // Written as the file writes its numbers: a German export's `0,6134`, not `0.6134` (by
    // the cells that show a decimal mark, as most of them do).
    let (mut commas, mut points) = (0usize, 0usize);
    for f in records.iter().take(200).flat_map(|r| r.fields.iter()) {
        commas += usize::from(decimal_comma(f));
        points += usize::from(decimal_point(f));
    }
    let comma = delimiter != b',' && commas > points;
    let width = records.first().map_or(0, |r| r.fields.len());
    let header = header.unwrap_or_else(|| (1..=width).map(|i| format!("col{i}")).collect());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(written_with(delimiter))
        .from_writer(Vec::new());
    const WRITTEN: &str = "writing to memory cannot fail";
    writer
        .write_record(header.iter().map(String::as_str).chain(["cluster", "confidence"]))
        .expect(WRITTEN);
    for (r, at) in records.iter().zip(result_of) {
        let extra = match at {
            Some(i) => {
                let c = format!("{:.4}", confidence[i]);
                [cluster[i].to_string(), if comma { c.replace('.', ",") } else { c }]
            }
            None => [String::new(), String::new()],
        };
        writer
            .write_record(r.fields.iter().chain(extra.iter().map(String::as_str)))
            .expect(WRITTEN);
    }
    let written = writer.into_inner().expect(WRITTEN);
    // A byte-order mark tells Excel the file is UTF-8; one the input had (or was given when
    // it was read from another encoding) stays.
    Ok(if bytes.starts_with(BOM) { [BOM, &written].concat() } else { written })
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A number written with a decimal comma and no point (`50,93`, `-0,5`).
fn decimal_comma(field: &str) -> bool {
    decimal_with(field, ',')
}

/// A number written with a decimal point and no comma (`2.5`).
fn decimal_point(field: &str) -> bool {
    decimal_with(field, '.')
}

fn decimal_with(field: &str, mark: char) -> bool {
    let f = field.trim().trim_start_matches('-');
    f.split_once(mark).is_some_and(|(a, b)| {
        !a.is_empty() && !b.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_unchanged_with_two_columns() {
        let input = "name,x\n\"Smith, J\",1\nDoe,2\n";
        let out = append_result_columns(
            input.as_bytes(),
            &CsvOptions::default(),
            None,
            &[1, 0],
            &[0.9, 0.55556],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,x,cluster,confidence\n\"Smith, J\",1,1,0.9000\nDoe,2,0,0.5556\n"
        );
    }

    #[test]
    fn a_german_excel_export_gets_its_mark_and_decimal_commas_back() {
        let input = "\u{FEFF}Name;Betrag\nMüller;50,93\nSchmidt;12,5\n";
        let out = append_result_columns(input.as_bytes(), &CsvOptions::default(), None, &[1, 0], &[0.61344, 1.0]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\u{FEFF}Name;Betrag;cluster;confidence\nMüller;50,93;1;0,6134\nSchmidt;12,5;0;1,0000\n");
        // Tabs with decimal points keep points, a thousands comma beside them too.
        let out = append_result_columns(b"a\tb\n1.5\t2\n", &CsvOptions::default(), None, &[0], &[0.5]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a\tb\tcluster\tconfidence\n1.5\t2\t0\t0.5000\n");
        let out = append_result_columns(b"a\tb\n1,234\t2.5\n1,500\t3.5\n", &CsvOptions::default(), None, &[0, 1], &[0.5, 1.0]).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("\t0\t0.5000\n1,500\t3.5\t1\t1.0000\n"));
    }

    #[test]
    fn rows_left_out_keep_their_place_with_empty_cells() {
        let input = "x\n1\n\n2\n3\n";
        let out = append_result_columns(input.as_bytes(), &CsvOptions::default(), Some(&[0, 2]), &[4, 5], &[0.5, 1.0]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "x,cluster,confidence\n1,4,0.5000\n2,,\n3,5,1.0000\n");
    }
}
