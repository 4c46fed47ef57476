use super::csv_table::{CsvError, CsvOptions, read_records};

/// The user's own rows, unchanged, with `cluster` and `confidence` appended. Reads the file
/// again with the same options rather than keeping every cell as text in memory during
/// training.
pub fn append_result_columns(
    bytes: &[u8],
    options: &CsvOptions,
    cluster: &[u32],
    confidence: &[f32],
) -> Result<Vec<u8>, CsvError> {
    let (header, records, delimiter) = read_records(bytes, options)?;
    assert_eq!(
        records.len(),
        cluster.len(),
        "results must come from this file"
    );
    let width = records.first().map_or(0, |r| r.fields.len());
    let header = header.unwrap_or_else(|| (1..=width).map(|i| format!("col{i}")).collect());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, fields: &[String], extra: [String; 2]| {
        w.write_record(
            fields
                .iter()
                .map(String::as_str)
                .chain(extra.iter().map(String::as_str)),
        )
        .expect("writing to memory cannot fail");
    };
    write(
        &mut writer,
        &header,
        ["cluster".into(), "confidence".into()],
    );
    for ((r, c), q) in records.iter().zip(cluster).zip(confidence) {
        write(&mut writer, &r.fields, [c.to_string(), format!("{q:.4}")]);
    }
    Ok(writer.into_inner().expect("writing to memory cannot fail"))
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
            &[1, 0],
            &[0.9, 0.55556],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,x,cluster,confidence\n\"Smith, J\",1,1,0.9000\nDoe,2,0,0.5556\n"
        );
    }
}
