//! The `deepclust` command end to end: what a user at a terminal sees.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{blobs, train};
use deepclust::cluster::Method;
use deepclust::data::{CsvOptions, Table};
use deepclust::train::TrainConfig;

fn deepclust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deepclust"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("deepclust-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Three well-separated blobs as a CSV with a header and a `label` column.
fn blobs_csv(path: &Path) -> usize {
    let (k, per, dim) = (3, 30, 4);
    let (x, y) = blobs(k, per, dim, 5);
    let mut text = String::from("a,b,c,d,label\n");
    for (row, label) in x.chunks_exact(dim).zip(&y) {
        let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        text.push_str(&format!("{},{label}\n", cells.join(",")));
    }
    std::fs::write(path, text).unwrap();
    k * per
}

/// The `cluster` column of a results CSV.
fn clusters(path: &Path) -> Vec<u32> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header
        .iter()
        .position(|&h| h == "cluster")
        .expect("a cluster column");
    lines
        .map(|l| l.split(',').nth(at).unwrap().parse().unwrap())
        .collect()
}

fn str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn cluster_writes_one_row_per_input_row_with_the_librarys_labels() {
    let dir = scratch("cluster");
    let input = dir.join("blobs.csv");
    let rows = blobs_csv(&input);
    let out = dir.join("out.csv");
    let metrics = dir.join("metrics.json");
    let run = deepclust(&[
        "cluster",
        "--input",
        str(&input),
        "--method",
        "idec",
        "--k",
        "3",
        "--device",
        "cpu",
        "--seed",
        "7",
        "--epochs",
        "15",
        "--out",
        str(&out),
        "--metrics",
        str(&metrics),
        "--quiet",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let got = clusters(&out);
    assert_eq!(got.len(), rows);

    // The library with the same file, defaults and seed.
    let table = Table::from_csv(std::fs::read(&input).unwrap(), CsvOptions::default()).unwrap();
    let mut config = TrainConfig::for_table(Method::Idec, 3, &table);
    config.seed = 7;
    config.pretrain_epochs = 15;
    let d = &table.dataset;
    let want = train(config, d.features.clone(), d.rows, d.cols)
        .output()
        .unwrap()
        .labels;
    assert_eq!(got, want);

    let json = std::fs::read_to_string(&metrics).unwrap();
    for key in [
        "\"acc\": 1.0",
        "\"method\": \"idec\"",
        "\"device\": \"cpu\"",
        "\"rows\": 90",
    ] {
        assert!(json.contains(key), "{key} missing from {json}");
    }
}

#[test]
fn a_saved_model_predicts_the_training_labels() {
    let dir = scratch("predict");
    let input = dir.join("blobs.csv");
    blobs_csv(&input);
    for method in ["dec", "gceals", "deepcluster", "kmeans", "gmm"] {
        let (out, model, again) = (
            dir.join(format!("{method}-out.csv")),
            dir.join(format!("{method}.model")),
            dir.join(format!("{method}-again.csv")),
        );
        let run = deepclust(&[
            "cluster",
            "--input",
            str(&input),
            "--method",
            method,
            "--k",
            "3",
            "--device",
            "cpu",
            "--epochs",
            "10",
            "--out",
            str(&out),
            "--save-model",
            str(&model),
            "--quiet",
        ]);
        assert!(
            run.status.success(),
            "{method}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let run = deepclust(&[
            "predict",
            "--model",
            str(&model),
            "--input",
            str(&input),
            "--out",
            str(&again),
            "--device",
            "cpu",
        ]);
        assert!(
            run.status.success(),
            "{method}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(clusters(&again), clusters(&out), "{method}");
    }
}

#[test]
fn bad_input_fails_with_a_message_that_names_the_problem() {
    let dir = scratch("bad");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "a,b\n1,2\n3,4,oops\n5,6\n").unwrap();
    let out = dir.join("out.csv");
    let run = deepclust(&[
        "cluster",
        "--input",
        str(&bad),
        "--k",
        "2",
        "--out",
        str(&out),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("bad.csv") && err.contains("line 3") && err.contains("3 fields"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written for bad input");
    // A stray word among numbers is read as missing, and said by its line.
    let stray = dir.join("stray.csv");
    std::fs::write(&stray, "a,b\n1,2\n3,oops\n5,6\n7,9\n").unwrap();
    let run = deepclust(&["cluster", "--input", str(&stray), "--method", "kmeans", "--k", "2", "--out", str(&out)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("Column \"b\": 1 cell is not a number (line 3 \"oops\"); read as missing"), "{err}");
    assert_eq!(clusters(&out).len(), 4);
    std::fs::remove_file(&out).unwrap();
    // Where the results cannot go is said before the file is even read.
    let nowhere = dir.join("no such folder").join("out.csv");
    let run = deepclust(&["cluster", "--input", str(&bad), "--k", "2", "--out", str(&nowhere)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("--out") && err.contains("does not exist") && !err.contains("oops"), "{err}");
    let run = deepclust(&["cluster", "--input", str(&bad), "--k", "2", "--out", str(&out), "--save-model", str(&dir)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("--save-model") && err.contains("that is a folder"), "{err}");

    let missing = deepclust(&[
        "cluster",
        "--input",
        "/no/such/file.csv",
        "--k",
        "2",
        "--out",
        str(&out),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/file.csv"));

    // A setting out of range is refused before training, with the rule it broke.
    let input = dir.join("blobs.csv");
    blobs_csv(&input);
    let run = deepclust(&[
        "cluster",
        "--input",
        str(&input),
        "--k",
        "3",
        "--corruption",
        "1",
        "--out",
        str(&out),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("corruption") && err.contains("[0, 1)"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written for a bad setting");

    // A model file that is not one, and new rows with other columns than the training file's.
    let run = deepclust(&[
        "predict",
        "--model",
        str(&bad),
        "--input",
        str(&bad),
        "--out",
        str(&out),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("not a deepclust model"));
    let model = dir.join("km.model");
    let run = deepclust(&[
        "cluster",
        "--input",
        str(&input),
        "--method",
        "kmeans",
        "--k",
        "3",
        "--out",
        str(&out),
        "--save-model",
        str(&model),
        "--quiet",
    ]);
    assert!(run.status.success());
    let two = dir.join("two.csv");
    std::fs::write(&two, "a,b\n1,2\n3,4\n").unwrap();
    let run = deepclust(&[
        "predict",
        "--model",
        str(&model),
        "--input",
        str(&two),
        "--out",
        str(&out),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("two.csv") && err.contains("trained on 4 columns, among them \"c\""),
        "{err}"
    );
}

#[test]
fn a_folder_of_pngs_clusters_with_labels_from_subfolders() {
    let dir = scratch("pngs");
    // Two classes, bright and dark squares with a little noise, in two folders.
    for (class, level) in [("dark", 30u8), ("bright", 220u8)] {
        std::fs::create_dir_all(dir.join(class)).unwrap();
        for i in 0..6u8 {
            let pixels: Vec<u8> = (0..32 * 32)
                .map(|p| level.wrapping_add((p as u8 ^ i) % 9))
                .collect();
            let file = std::fs::File::create(dir.join(class).join(format!("{i}.png"))).unwrap();
            let mut enc = png::Encoder::new(std::io::BufWriter::new(file), 32, 32);
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::Eight);
            enc.write_header()
                .unwrap()
                .write_image_data(&pixels)
                .unwrap();
        }
    }
    std::fs::write(dir.join("broken.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
    // What else lies in people's folders: notes, a photo the command line cannot read, the
    // Finder's .DS_Store.
    std::fs::write(dir.join("notes.md"), "# shot on a Tuesday\n").unwrap();
    std::fs::write(dir.join("dark").join("holiday.jpg"), b"\xff\xd8\xff\xe0").unwrap();
    std::fs::write(dir.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    let out = scratch("pngs-out").join("out.csv");
    let metrics = out.with_file_name("m.json");
    let model = out.with_file_name("pngs.model");
    let run = deepclust(&[
        "cluster",
        "--input",
        str(&dir),
        "--method",
        "kmeans",
        "--k",
        "2",
        "--out",
        str(&out),
        "--metrics",
        str(&metrics),
        "--save-model",
        str(&model),
    ]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains("broken.png"),
        "the unreadable file is named: {err}"
    );
    assert_eq!(err.matches("skipped dark/holiday.jpg: the command line reads PNG only").count(), 1, "said once: {err}");
    // The model places pictures given one by one, and says what it wants for anything else.
    let placed = out.with_file_name("placed.csv");
    let (dark, bright) = (dir.join("dark").join("0.png"), dir.join("bright").join("0.png"));
    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&dark), "--input", str(&bright), "--out", str(&placed)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let placed_labels = clusters(&placed);
    assert!(placed_labels.len() == 2 && placed_labels[0] != placed_labels[1], "{placed_labels:?}");
    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&dir.join("notes.md")), "--out", str(&placed)]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(said.contains("the model was trained on pictures (32×32); give it PNG files or a folder of them"), "{said}");
    assert!(err.contains("Left out 1 file(s) that are not pictures: notes.md."), "{err}");
    assert!(!err.contains("DS_Store"), "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("file,cluster,confidence\n"), "{text}");
    assert_eq!(text.lines().count(), 13);
    assert!(
        std::fs::read_to_string(&metrics)
            .unwrap()
            .contains("\"acc\": 1.0")
    );
    // The pixel divisor reaches the settings, and a bad one is named.
    let run = deepclust(&[
        "cluster",
        "--input",
        str(&dir),
        "--method",
        "idec",
        "--k",
        "2",
        "--pixel-divisor",
        "0",
        "--out",
        str(&out),
    ]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("pixel divisor"), "{err}");
}

#[test]
fn a_sample_written_by_the_cli_gets_its_k_suggested() {
    let dir = scratch("choose-k");
    let path = dir.join("blobs.csv");
    let out = deepclust(&["sample", "blobs", "--seed", "3", "--out", str(&path)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 601, "header + 600 points");
    assert!(text.starts_with("x,y,label\n"));

    let out = deepclust(&["choose-k", "--input", str(&path), "--max-k", "6"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let table = String::from_utf8(out.stdout).unwrap();
    let ks: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ks, ["2", "3", "4", "5", "6"]);
    assert!(stderr.contains("suggested k = 4"), "{stderr}");

    let out = deepclust(&["sample", "spirals"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("blobs"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("activities"));
}

#[test]
fn the_series_samples_cluster_as_the_files_they_stand_for() {
    let dir = scratch("series-samples");
    let (cbf, moves, out) = (dir.join("cbf.ts"), dir.join("activities.csv"), dir.join("out.csv"));
    for (name, path) in [("cbf", &cbf), ("activities", &moves)] {
        let done = deepclust(&["sample", name, "--out", str(path)]);
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    }
    let run = |args: &[&str]| {
        let done = deepclust(&[&["cluster", "--method", "kmeans", "--k", "3", "--out", str(&out)], args].concat());
        let stderr = String::from_utf8_lossy(&done.stderr).into_owned();
        assert!(done.status.success(), "{stderr}");
        stderr
    };
    let said = run(&["--input", str(&cbf)]);
    assert!(said.contains("(120 rows"), "{said}");
    let said = run(&[
        "--input", str(&moves), "--series-rows", "--series-id", "recording", "--label", "activity",
        "--series-scaling", "series",
    ]);
    assert!(said.contains("the column names make 3 channels (acc_x, acc_y, acc_z) of 100 time steps each"), "{said}");
    assert!(said.contains("(90 rows"), "{said}");
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("series,cluster,confidence\nr1,"));
}

#[test]
fn n2d_builds_its_graph_on_the_neighbours_asked_for() {
    let dir = scratch("neighbours");
    let input = dir.join("blobs.csv");
    blobs_csv(&input);
    let out = dir.join("out.csv");
    let model = dir.join("n2d.model");
    let n2d = |neighbours: &str| {
        deepclust(&[
            "cluster",
            "--input",
            str(&input),
            "--method",
            "n2d",
            "--neighbours",
            neighbours,
            "--k",
            "3",
            "--epochs",
            "10",
            "--out",
            str(&out),
            "--save-model",
            str(&model),
            "--quiet",
        ])
    };
    let run = n2d("7");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let saved = String::from_utf8_lossy(&std::fs::read(&model).unwrap()).into_owned();
    // layout <input width> <output width> <rows> <neighbours> …
    assert!(
        saved.contains("\nlayout 3 3 90 7 "),
        "{}",
        &saved[..400.min(saved.len())]
    );

    let run = n2d("1");
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("at least 2 neighbours"), "{err}");
}

#[test]
fn n2d_confidence_is_how_far_neighbours_share_the_cluster_and_a_saved_model_repeats_it() {
    let dir = scratch("n2d-confidence");
    // Two squares that overlap by a third: rows in the overlap have neighbours in both.
    let mut state = 7u64;
    let mut uniform = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut text = String::from("x,y\n");
    for i in 0..160 {
        let left = (i % 2) as f64 * 2.0;
        text += &format!("{:.5},{:.5}\n", left + 3.0 * uniform(), 3.0 * uniform());
    }
    let input = dir.join("squares.csv");
    std::fs::write(&input, text).unwrap();
    let (out, model, placed) = (dir.join("out.csv"), dir.join("n2d.model"), dir.join("placed.csv"));
    let run = deepclust(&[
        "cluster", "--input", str(&input), "--method", "n2d", "--k", "2", "--epochs", "5",
        "--out", str(&out), "--save-model", str(&model), "--quiet",
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let confidence = |path: &Path| -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap();
        text.lines().skip(1).map(|l| l.rsplit(',').next().unwrap().to_string()).collect()
    };
    let trained = confidence(&out);
    let values: Vec<f64> = trained.iter().map(|c| c.parse().unwrap()).collect();
    assert!(values.iter().all(|&c| (0.0..=1.0).contains(&c)), "{trained:?}");
    let doubtful = values.iter().filter(|&&c| c < 1.0).count();
    assert!(doubtful >= 10, "rows in the overlap are doubtful: {doubtful} under 1 ({trained:?})");
    assert!(values.iter().filter(|&&c| c == 1.0).count() >= 80, "rows far from the overlap are sure");

    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&input), "--out", str(&placed)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(clusters(&placed), clusters(&out), "the training rows' clusters");
    assert_eq!(confidence(&placed), trained, "and their confidences");
}

/// A table as people keep them: an id, missing cells in several spellings, a yes/no column, a
/// text column and a text label, in three groups.
fn messy_table() -> String {
    let mut text = String::from("id,height,weight,smoker,town,kind\n");
    for i in 0..60 {
        let group = i % 3;
        let height = 150.0 + 20.0 * group as f32 + (i % 5) as f32;
        let weight = 50.0 + 25.0 * group as f32 + (i % 7) as f32;
        let cell = |v: f32, skip: bool| if skip { ["NA", "", "?", "n/a"][i % 4].to_string() } else { v.to_string() };
        text += &format!(
            "p{i},{},{},{},{},{}\n",
            cell(height, i % 11 == 4),
            cell(weight, i % 13 == 6),
            if group == 2 { "yes" } else { "no" },
            ["North", "South", "East"][group],
            ["small", "medium", "large"][group]
        );
    }
    text
}

#[test]
fn a_messy_table_clusters_with_roles_missing_cells_and_profiles() {
    let dir = scratch("messy");
    let input = dir.join("people.csv");
    std::fs::write(&input, messy_table()).unwrap();
    let run = deepclust(&["columns", "--input", str(&input), "--label", "kind", "--json"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let columns: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let kind_of = |name: &str| {
        let c = columns.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap();
        (c["kind"].as_str().unwrap().to_string(), c["role"].as_str().unwrap().to_string())
    };
    assert_eq!(kind_of("id"), ("identifier".into(), "ignored".into()));
    assert_eq!(kind_of("smoker"), ("categorical".into(), "feature".into()));
    assert_eq!(kind_of("kind"), ("categorical".into(), "label".into()));

    let (out, profiles, metrics, model) = (dir.join("out.csv"), dir.join("profiles.csv"), dir.join("m.json"), dir.join("p.model"));
    let run = deepclust(&[
        "cluster", "--input", str(&input), "--label", "kind", "--ignore", "town", "--missing", "drop",
        "--method", "kmeans", "--k", "3", "--out", str(&out), "--profiles", str(&profiles),
        "--metrics", str(&metrics), "--save-model", str(&model),
    ]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("rows were left out"), "{err}");
    assert!(err.contains("Cluster 0 ·"), "{err}");
    let result = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = result.lines().collect();
    assert_eq!(lines.len(), 61, "every row comes back");
    assert!(lines[5].ends_with(",,"), "row 4 had a missing height and is left out: {}", lines[5]);
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&metrics).unwrap()).unwrap();
    assert!(m["acc"].as_f64().unwrap() > 0.95, "{m}");
    assert!(m["rows"].as_u64().unwrap() < 60);
    let table = std::fs::read_to_string(&profiles).unwrap();
    assert!(table.starts_with("cluster,size,feature,category,cluster_value,overall_value,z\n"));
    assert!(table.contains(",smoker,yes,") && !table.contains(",town,"), "{table}");

    // New rows with a missing cell and a town never seen: placed, with notes.
    let new = dir.join("new.csv");
    std::fs::write(&new, "height,weight,smoker,town\n191,101,yes,Atlantis\nNA,52,no,North\n").unwrap();
    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&new), "--out", str(&out), "--profiles", str(&profiles)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("1 missing cell was filled"), "{err}");
    let placed = std::fs::read_to_string(&out).unwrap();
    assert_eq!(placed.lines().count(), 3);
}

/// Twelve two-channel series of three shapes (`.ts` text): a rise, a fall, a bump.
fn shapes_ts(channels: usize) -> String {
    let mut text = String::from("@problemName Shapes\n@classLabel true rise fall bump\n@data\n");
    for i in 0..12 {
        let shape = i % 3;
        let channel = |c: usize| -> String {
            (0..20)
                .map(|t| {
                    let u = t as f64 / 19.0;
                    let v = [u, 1.0 - u, (std::f64::consts::PI * u).sin()][shape];
                    format!("{:.3}", v * (1.0 + c as f64) + 0.01 * ((i * 7 + t) % 5) as f64)
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        let chans: Vec<String> = (0..channels).map(channel).collect();
        text.push_str(&format!("{}:{}\n", chans.join(":"), ["rise", "fall", "bump"][shape]));
    }
    text
}

#[test]
fn series_cluster_save_a_model_and_place_new_series() {
    let dir = scratch("series");
    let (ts, out, model, again) = (
        dir.join("shapes.ts"),
        dir.join("out.csv"),
        dir.join("shapes.model"),
        dir.join("again.csv"),
    );
    std::fs::write(&ts, shapes_ts(2)).unwrap();
    let run = deepclust(&[
        "cluster", "--input", str(&ts), "--method", "dec", "--k", "3", "--device", "cpu",
        "--epochs", "20", "--out", str(&out), "--save-model", str(&model),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("3 classes found in the files' labels"), "{stderr}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("series,cluster,confidence\nshapes.ts#1,"), "{text}");
    assert_eq!(clusters(&out).len(), 12);
    let saved = std::fs::read(&model).unwrap();
    let header = String::from_utf8_lossy(&saved[..saved.len().min(4000)]).into_owned();
    // Rises, falls and bumps in the same places line up: the network keeps time order.
    assert!(stderr.contains("the series line up in time"), "{stderr}");
    assert!(header.contains("\narchitecture conv1d-aligned 2 20 10\n"), "{header}");
    assert!(header.contains("\nseries 2 20 channel\n"), "{header}");
    // The same series placed by the saved model land in their training clusters.
    let run = deepclust(&[
        "predict", "--model", str(&model), "--input", str(&ts), "--out", str(&again), "--device", "cpu",
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(clusters(&again), clusters(&out));
    // Each run on several channels says how they tell the clusters apart.
    assert!(
        stderr.contains("deepclust: what tells the clusters apart (the share of each channel's variation that lies between them): channel "),
        "{stderr}"
    );
    // --profiles describes each cluster by its channels' level and movement, as for a table's columns.
    let profiles = dir.join("profiles.csv");
    let run = deepclust(&[
        "predict", "--model", str(&model), "--input", str(&ts), "--out", str(&again), "--profiles", str(&profiles),
    ]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
    assert!(said.contains("deepclust: Cluster 0 · 4 series · "), "{said}");
    let written = std::fs::read_to_string(&profiles).unwrap();
    assert!(written.starts_with("cluster,size,feature,category,cluster_value,overall_value,z\n"), "{written}");
    let features: std::collections::BTreeSet<&str> = written.lines().skip(1).map(|l| l.split(',').nth(2).unwrap()).collect();
    assert_eq!(
        features.into_iter().collect::<Vec<_>>(),
        ["channel 1 level", "channel 1 movement", "channel 2 level", "channel 2 movement"],
        "{written}"
    );
    // Series with other channels are refused with the reason; a table too.
    let one = dir.join("one.ts");
    std::fs::write(&one, shapes_ts(1)).unwrap();
    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&one), "--out", str(&again)]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("these series have 1 channel but the model was trained on series with 2"), "{stderr}");
    // A table model given series is told what it takes.
    let csv = dir.join("blobs.csv");
    blobs_csv(&csv);
    let table_model = dir.join("blobs.model");
    let run = deepclust(&["cluster", "--input", str(&csv), "--method", "kmeans", "--k", "3", "--out", str(&again), "--save-model", str(&table_model)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let run = deepclust(&["predict", "--model", str(&table_model), "--input", str(&ts), "--out", str(&again)]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("shapes.ts: the model was trained on a table; give it a CSV file with the same columns"), "{stderr}");
}

#[test]
fn a_model_of_a_recording_per_file_reads_recordings_exported_together_by_their_name_column() {
    let dir = scratch("recordings-together");
    let folder = dir.join("recordings");
    std::fs::create_dir_all(&folder).unwrap();
    let shape = |kind: usize, t: usize, i: usize| -> (f32, f32) {
        let u = t as f32 / 19.0;
        let wobble = 0.05 * ((t * 7 + i * 3) % 5) as f32;
        match kind {
            0 => (u + wobble, 1.0 - u),
            1 => (1.0 - u + wobble, u),
            _ => ((-(u - 0.5) * (u - 0.5) * 20.0).exp() + wobble, 0.5),
        }
    };
    let mut together = String::from("recording,time,x,y\n");
    for i in 0..9 {
        let mut one = String::from("time,x,y\n");
        for t in 0..20 {
            let (x, y) = shape(i % 3, t, i);
            one += &format!("{t},{x:.4},{y:.4}\n");
            together += &format!("walk{i},{t},{x:.4},{y:.4}\n");
        }
        std::fs::write(folder.join(format!("walk{i}.csv")), one).unwrap();
    }
    let (out, model, placed) = (dir.join("out.csv"), dir.join("walks.model"), dir.join("placed.csv"));
    let run = deepclust(&[
        "cluster", "--input", str(&folder), "--method", "kmeans", "--k", "3", "--out", str(&out),
        "--save-model", str(&model),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let all = dir.join("all.csv");
    std::fs::write(&all, &together).unwrap();
    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&all), "--out", str(&placed)]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
    assert!(said.contains("\"recording\" names a recording in each run of rows: each is read as one series"), "{said}");
    let text = std::fs::read_to_string(&placed).unwrap();
    assert!(text.starts_with("series,cluster,confidence\nwalk0,"), "{text}");
    assert_eq!(clusters(&placed), clusters(&out), "each recording where training put its file");

    // Names that come back later in the file are not runs: one recording, as before.
    let mut lines: Vec<&str> = together.lines().collect();
    lines.swap(5, 30);
    std::fs::write(&all, lines.join("\n") + "\n").unwrap();
    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&all), "--out", str(&placed)]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
    assert!(!said.contains("names a recording"), "{said}");
    assert_eq!(clusters(&placed).len(), 1);
}

/// `shapes_ts`'s series in the archive's other layouts: the UCR's text (a class, then the
/// values, tab-separated) and `.arff` (one relational attribute holding the channels).
fn shapes_as(ts: &str, arff: bool) -> String {
    let rows: Vec<(Vec<&str>, &str)> = ts
        .lines()
        .skip_while(|l| !l.starts_with("@data"))
        .skip(1)
        .map(|l| {
            let mut parts: Vec<&str> = l.split(':').collect();
            let label = parts.pop().unwrap();
            (parts, label)
        })
        .collect();
    if !arff {
        return rows.iter().map(|(c, label)| format!("{label}\t{}\n", c[0].replace(',', "\t"))).collect();
    }
    let steps = rows[0].0[0].split(',').count();
    let mut text = String::from("% shapes\n@relation Shapes\n@attribute series relational\n");
    text += &(0..steps).map(|t| format!("@attribute t{t} numeric\n")).collect::<String>();
    text += "@end series\n@attribute shape {rise,fall,bump}\n@data\n";
    text += &rows.iter().map(|(c, label)| format!("'{}',{label}\n", c.join("\\n"))).collect::<String>();
    text
}

#[test]
fn the_archives_arff_and_ucr_text_files_cluster_as_their_ts_does() {
    let dir = scratch("archive-formats");
    let out = dir.join("out.csv");
    let kmeans = |inputs: &[&Path], extra: &[&str]| {
        let mut args = vec!["cluster", "--method", "kmeans", "--k", "3", "--out", str(&out)];
        for i in inputs {
            args.extend(["--input", str(i)]);
        }
        args.extend(extra);
        let run = deepclust(&args);
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        assert!(run.status.success(), "{inputs:?}: {stderr}");
        (clusters(&out), stderr)
    };
    for channels in [1, 2] {
        let ts = dir.join(format!("shapes{channels}.ts"));
        std::fs::write(&ts, shapes_ts(channels)).unwrap();
        let arff = dir.join(format!("shapes{channels}.arff"));
        std::fs::write(&arff, shapes_as(&shapes_ts(channels), true)).unwrap();
        let (from_ts, _) = kmeans(&[&ts], &[]);
        let (from_arff, stderr) = kmeans(&[&arff], &[]);
        assert_eq!(from_arff, from_ts, "{channels} channels");
        assert!(stderr.contains("3 classes found"), "{stderr}");
    }
    // The UCR's own files: the first six series in NAME_TRAIN.tsv, the rest in NAME_TEST.tsv.
    let ts = dir.join("shapes1.ts");
    let model = dir.join("shapes.model");
    let (from_ts, _) = kmeans(&[&ts], &["--save-model", str(&model)]);
    let lines: Vec<String> = shapes_as(&shapes_ts(1), false).lines().map(|l| format!("{l}\n")).collect();
    let (train, test) = (dir.join("Shapes_TRAIN.tsv"), dir.join("Shapes_TEST.tsv"));
    std::fs::write(&train, lines[..6].concat()).unwrap();
    std::fs::write(&test, lines[6..].concat()).unwrap();
    let (from_tsv, stderr) = kmeans(&[&train, &test], &[]);
    assert_eq!(from_tsv, from_ts);
    assert!(stderr.matches("read as the UCR archive's text layout").count() == 1, "{stderr}");
    // A model trained on the .ts places the test file's series where they were.
    let placed = dir.join("placed.csv");
    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&test), "--out", str(&placed)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(clusters(&placed), from_ts[6..]);
    // A table of one's own that happens to be named so is refused with what to do.
    let table = dir.join("Sales_TEST.tsv");
    std::fs::write(&table, "region\tq1\tq2\nnorth\t1\t2\n").unwrap();
    let run = deepclust(&["cluster", "--input", str(&table), "--k", "2", "--out", str(&out)]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("Sales_TEST.tsv line 1, value 1: \"q1\" is not a number") && stderr.contains("Rename the file"), "{stderr}");
}

#[test]
fn a_csv_with_a_series_in_each_row_clusters_as_the_ts_does() {
    let dir = scratch("wide");
    let (ts, csv, out) = (dir.join("shapes.ts"), dir.join("shapes.csv"), dir.join("out.csv"));
    std::fs::write(&ts, shapes_ts(1)).unwrap();
    let header: Vec<String> = (1..=20).map(|t| format!("t{t}")).collect();
    let mut text = format!("name,{},shape\n", header.join(","));
    for (i, line) in shapes_as(&shapes_ts(1), false).lines().enumerate() {
        let (label, values) = line.split_once('\t').unwrap();
        text += &format!("beat {i},{},{label}\n", values.replace('\t', ","));
    }
    std::fs::write(&csv, text).unwrap();
    let run = |input: &Path, extra: &[&str]| {
        let mut args = vec!["cluster", "--input", str(input), "--method", "kmeans", "--k", "3", "--out", str(&out)];
        args.extend(extra);
        let done = deepclust(&args);
        let stderr = String::from_utf8_lossy(&done.stderr).into_owned();
        assert!(done.status.success(), "{stderr}");
        (clusters(&out), std::fs::read_to_string(&out).unwrap(), stderr)
    };
    let (from_ts, _, _) = run(&ts, &[]);
    let model = dir.join("rows.model");
    let (from_csv, written, stderr) =
        run(&csv, &["--series-rows", "--series-id", "name", "--label", "shape", "--save-model", str(&model)]);
    assert_eq!(from_csv, from_ts);
    // The saved model reads a new CSV as its training file was: a series in each row, the same columns.
    let saved = std::fs::read(&model).unwrap();
    let header = String::from_utf8_lossy(&saved[..saved.len().min(4000)]).into_owned();
    assert!(header.contains("\nseries_rows wide\tid=name\tlabel=shape\n"), "{header}");
    let placed = dir.join("placed.csv");
    let done = deepclust(&["predict", "--model", str(&model), "--input", str(&csv), "--out", str(&placed)]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(clusters(&placed), from_csv);
    // New series often come without their class: the model does not ask for the column.
    let unlabelled = dir.join("unlabelled.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let without: String = text.lines().map(|l| format!("{}\n", l.rsplit_once(',').unwrap().0)).collect();
    std::fs::write(&unlabelled, without).unwrap();
    let done = deepclust(&["predict", "--model", str(&model), "--input", str(&unlabelled), "--out", str(&placed)]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(clusters(&placed), from_csv);
    assert!(written.starts_with("series,cluster,confidence\nbeat 0,"), "{written}");
    assert!(stderr.contains("each row read as one series, its 20 value columns (t1 to t20)"), "{stderr}");
    assert!(stderr.contains("3 classes found"), "{stderr}");
    // Without --series-rows the same file is a table of 20 features.
    let (_, _, stderr) = run(&csv, &["--label", "shape"]);
    assert!(!stderr.contains("each row read as one series"), "{stderr}");
    // Without a header and with at least 24 values a row, the CLI says they look like time steps.
    let bare = dir.join("bare.csv");
    let rows: String = (0..12).map(|i| format!("{}\n", (0..30).map(|t| format!("{}", (i * t) % 7)).collect::<Vec<_>>().join(","))).collect();
    std::fs::write(&bare, rows).unwrap();
    let (_, _, stderr) = run(&bare, &[]);
    assert!(stderr.contains("its 30 number columns have no names of their own"), "{stderr}");
    // Columns named as channels' steps make channels: the two-channel .ts's clusters.
    let ts2 = dir.join("shapes2.ts");
    std::fs::write(&ts2, shapes_ts(2)).unwrap();
    let (from_ts2, _, _) = run(&ts2, &[]);
    let steps: Vec<String> =
        ["acc_x", "acc_y"].iter().flat_map(|c| (1..=20).map(move |t| format!("{c}_{t}"))).collect();
    let mut text = format!("{},shape\n", steps.join(","));
    for line in shapes_ts(2).lines().skip_while(|l| !l.starts_with("@data")).skip(1) {
        text += &format!("{}\n", line.replace(':', ","));
    }
    let sensors = dir.join("sensors.csv");
    std::fs::write(&sensors, text).unwrap();
    let (_, _, stderr) = run(&sensors, &["--label", "shape"]);
    assert!(
        stderr.contains("its 40 number columns are named as the time steps of 2 channels (acc_x, acc_y), 20 each; if each row is one recording, --series-rows --label shape clusters them as series"),
        "{stderr}"
    );
    let model2 = dir.join("sensors.model");
    let (from_sensors, _, stderr) = run(&sensors, &["--series-rows", "--label", "shape", "--save-model", str(&model2)]);
    assert_eq!(from_sensors, from_ts2);
    assert!(stderr.contains("the column names make 2 channels (acc_x, acc_y) of 20 time steps each"), "{stderr}");
    // The channels keep those names in what the run says about them.
    assert!(stderr.contains("lies between them): acc_"), "{stderr}");
    let done = deepclust(&["predict", "--model", str(&model2), "--input", str(&sensors), "--out", str(&placed)]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(clusters(&placed), from_sensors);
}

#[test]
fn series_a_few_of_which_dwarf_the_rest_are_scaled_one_by_one_unless_told_otherwise() {
    let dir = scratch("series-loud");
    let (ts, out, model) = (dir.join("loud.ts"), dir.join("out.csv"), dir.join("loud.model"));
    // Every fourth series recorded at a thousand times the scale of the rest.
    let loud: Vec<String> = shapes_ts(1)
        .lines()
        .enumerate()
        .map(|(i, line)| match line.split_once(':') {
            Some((values, label)) if i % 4 == 3 => {
                let values: Vec<String> =
                    values.split(',').map(|v| format!("{}", v.parse::<f64>().unwrap() * 1000.0)).collect();
                format!("{}:{label}", values.join(","))
            }
            _ => line.to_string(),
        })
        .collect();
    std::fs::write(&ts, loud.join("\n")).unwrap();
    for (flag, scaled, saved) in [
        (None, true, "\nseries 1 20 series\n"),
        (Some("channel"), false, "\nseries 1 20 channel\n"),
    ] {
        let mut args = vec![
            "cluster", "--input", str(&ts), "--method", "dec", "--k", "3", "--device", "cpu",
            "--epochs", "2", "--out", str(&out), "--save-model", str(&model),
        ];
        if let Some(f) = flag {
            args.extend(["--series-scaling", f]);
        }
        let run = deepclust(&args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{stderr}");
        assert_eq!(stderr.contains("each series is scaled on its own"), scaled, "{flag:?}: {stderr}");
        let saved_model = std::fs::read(&model).unwrap();
        let header = String::from_utf8_lossy(&saved_model[..saved_model.len().min(4000)]).into_owned();
        assert!(header.contains(saved), "{flag:?}: {header}");
    }
}

#[test]
fn series_cut_short_are_padded_when_asked_and_a_saved_model_pads_new_ones_alike() {
    let dir = scratch("padded");
    let (ts, out, model, again) =
        (dir.join("cut.ts"), dir.join("out.csv"), dir.join("cut.model"), dir.join("again.csv"));
    // The shapes' recordings stopped after 12 to 20 of their 20 steps.
    let text: String = shapes_ts(2)
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if line.starts_with('@') {
                return format!("{line}\n");
            }
            let keep = 12 + (i * 5) % 9;
            let mut parts: Vec<String> = line.split(':').map(str::to_string).collect();
            let label = parts.pop().unwrap();
            let cut: Vec<String> = parts
                .iter()
                .map(|c| c.split(',').take(keep).collect::<Vec<_>>().join(","))
                .collect();
            format!("{}:{label}\n", cut.join(":"))
        })
        .collect();
    std::fs::write(&ts, text).unwrap();
    let run = deepclust(&[
        "cluster", "--input", str(&ts), "--method", "idec", "--k", "3", "--device", "cpu",
        "--epochs", "10", "--series-lengths", "pad", "--out", str(&out), "--save-model", str(&model),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("shorter ones are padded at the end to 20 points"), "{stderr}");
    let saved = std::fs::read(&model).unwrap();
    let header = String::from_utf8_lossy(&saved[..saved.len().min(4000)]).into_owned();
    assert!(header.contains("\nseries 2 20 channel pad 1\n"), "{header}");
    let run = deepclust(&[
        "predict", "--model", str(&model), "--input", str(&ts), "--out", str(&again), "--device", "cpu",
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(clusters(&again), clusters(&out));
}

#[test]
fn a_long_csv_of_series_clusters_by_its_id_column() {
    let dir = scratch("long");
    let (csv, out) = (dir.join("long.csv"), dir.join("out.csv"));
    let mut text = String::from("recording,step,ax,ay\n");
    for r in 0..6 {
        for t in (0..16).rev() {
            let v = if r % 2 == 0 { t as f64 } else { 16.0 - t as f64 };
            text.push_str(&format!("rec{r},{t},{v},{}\n", v / 2.0));
        }
    }
    std::fs::write(&csv, text).unwrap();
    let run = deepclust(&[
        "cluster", "--input", str(&csv), "--series-id", "recording", "--series-time", "step",
        "--method", "kmeans", "--k", "2", "--out", str(&out),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let labels = clusters(&out);
    assert_eq!(labels.len(), 6);
    assert!(labels[0] == labels[2] && labels[1] == labels[3] && labels[0] != labels[1], "{labels:?}");
    // Its saved model places a new long CSV as the training file was read: the id and time
    // columns it was given, its channels found by name.
    let model = dir.join("long.model");
    let run = deepclust(&[
        "cluster", "--input", str(&csv), "--series-id", "recording", "--series-time", "step",
        "--method", "idec", "--epochs", "3", "--k", "2", "--out", str(&out), "--save-model", str(&model),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let trained = clusters(&out);
    let saved = std::fs::read(&model).unwrap();
    let header = String::from_utf8_lossy(&saved[..saved.len().min(4000)]).into_owned();
    assert!(header.contains("\nseries_rows long\tid=recording\ttime=step\n"), "{header}");
    assert!(header.contains("\nseries_channels ax\tay\n"), "{header}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let swapped: String = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{},{},{}\n", f[2 + 1], f[1], "note", f[0], f[2])
        })
        .collect::<String>()
        .replacen("note", "comment", 1);
    let (new, placed) = (dir.join("new.csv"), dir.join("placed.csv"));
    std::fs::write(&new, &swapped).unwrap();
    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&new), "--out", str(&placed)]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("the channels are in another order than the model's; each is read by its name"), "{stderr}");
    assert_eq!(clusters(&placed), trained);
    let without: String = text.lines().map(|l| format!("{}\n", l.rsplit_once(',').unwrap().0)).collect();
    std::fs::write(&new, without).unwrap();
    let run = deepclust(&["predict", "--model", str(&model), "--input", str(&new), "--out", str(&placed)]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("these series have no channel \"ay\" (their channels: ax); the model was trained on ax, ay"), "{stderr}");
    let run = deepclust(&[
        "cluster", "--input", str(&csv), "--series-id", "rec", "--k", "2", "--out", str(&out),
    ]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("long.csv has no column \"rec\"; its columns are recording, step, ax, ay"), "{stderr}");
    // A database's export: ids as text, times as dates (found by themselves), a text column
    // (left out), rows in any order; given as a folder with --series-id.
    let folder = dir.join("meters");
    std::fs::create_dir_all(&folder).unwrap();
    let mut text = String::from("meter_id,reading_time,kwh,site_type\n");
    for m in 0..6 {
        for h in (0..12).rev() {
            let kwh = if m % 2 == 0 { h as f64 } else { 12.0 - h as f64 };
            text.push_str(&format!("meter-{m:03},2024-03-01 {h:02}:00:00,{kwh},{}\n", if m % 2 == 0 { "shop" } else { "home" }));
        }
    }
    std::fs::write(folder.join("readings.csv"), text).unwrap();
    let run = deepclust(&[
        "cluster", "--input", str(&folder), "--series-id", "meter_id", "--method", "kmeans", "--k", "2", "--out", str(&out),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("\"reading_time\" is read as the time of each row"), "{stderr}");
    assert!(stderr.contains("\"site_type\" holds text, not measurements: left out"), "{stderr}");
    let labels = clusters(&out);
    assert!(labels[0] == labels[2] && labels[1] == labels[3] && labels[0] != labels[1], "{labels:?}");
}

/// UCI HAR's layout, made up: `train/Inertial Signals/acc_{x,y,z}_train.txt`, a series in each
/// row of each channel's file, values separated by runs of spaces, and `train/y_train.txt` one
/// class a row; the same under `test/` with fewer rows. Classes: still, slow and fast swings.
fn har_folder(dir: &Path) -> Vec<PathBuf> {
    let mut written = Vec::new();
    for (split, rows) in [("train", 30), ("test", 15)] {
        let signals = dir.join(split).join("Inertial Signals");
        std::fs::create_dir_all(&signals).unwrap();
        for (c, axis) in ["x", "y", "z"].iter().enumerate() {
            let mut text = String::new();
            for r in 0..rows {
                let (size, cycles) = [(0.02, 0.0), (0.4, 2.0), (1.2, 5.0)][r % 3];
                let phase = (r * 7 + c * 3) as f32 * 0.9;
                for t in 0..64 {
                    let v: f32 = size * (std::f32::consts::TAU * cycles * t as f32 / 64.0 + phase).sin()
                        + 0.01 * ((r * 64 + t) as f32 * 12.9898).sin();
                    text.push_str(&format!("{}{v:.6e}", if v < 0.0 { " " } else { "  " }));
                }
                text.push('\n');
            }
            let path = signals.join(format!("acc_{axis}_{split}.txt"));
            std::fs::write(&path, text).unwrap();
            written.push(path);
        }
        let classes: String = (0..rows).map(|r| format!("{}\n", 1 + r % 3)).collect();
        std::fs::write(dir.join(split).join(format!("y_{split}.txt")), classes).unwrap();
    }
    written
}

#[test]
fn files_of_one_channel_each_are_read_as_the_channels_of_one_set_of_series() {
    let dir = scratch("har");
    let files = har_folder(&dir.join("UCI HAR"));
    let (out, model, placed) = (dir.join("out.csv"), dir.join("har.model"), dir.join("placed.csv"));
    let run = |args: &[&str]| {
        let done = deepclust(&[&["cluster", "--method", "kmeans", "--k", "3", "--out", str(&out), "--device", "cpu"], args].concat());
        (done.status.success(), String::from_utf8_lossy(&done.stderr).into_owned())
    };
    // The whole folder: both splits, the classes from y_*.txt; its notes left out.
    let root = dir.join("UCI HAR");
    std::fs::write(root.join("README.md"), "# Human Activity Recognition\n").unwrap();
    let (ok, said) = run(&["--input", str(&root), "--save-model", str(&model)]);
    assert!(ok, "{said}");
    assert!(said.contains("Left out README.md: not a table (.csv, .tsv, .txt, .dat)."), "{said}");
    assert!(said.contains("read the 6 files as 3 channels (acc_x, acc_y, acc_z) of 45 series"), "{said}");
    assert!(said.contains("y_train.txt: each row's value read as its series' class"), "{said}");
    let acc: f64 = said.split("ACC ").nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert!(acc > 0.9, "ACC {acc}: {said}");
    let text = std::fs::read_to_string(&out).unwrap();
    // In the folder's order: test/ before train/.
    assert!(text.starts_with("series,cluster,confidence\ntest#1,"), "{text}");
    assert_eq!(text.lines().count(), 1 + 45);
    assert!(text.contains("\ntest#15,") && text.contains("\ntrain#30,"), "{text}");
    let trained = clusters(&out);
    // The channel files given one by one are read alike.
    let inputs: Vec<&str> = files[..3].iter().flat_map(|f| ["--input", str(f)]).collect();
    let (ok, said) = run(&inputs);
    assert!(ok && said.contains("read the 3 files as 3 channels (acc_x, acc_y, acc_z) of 30 series"), "{said}");
    // A saved model places the test split's series, read the same way (it says so).
    let header = String::from_utf8_lossy(&std::fs::read(&model).unwrap()).into_owned();
    assert!(header.contains("\nseries_files channels\n"), "{header}");
    let done = deepclust(&["predict", "--model", str(&model), "--input", str(&root.join("test")), "--out", str(&placed)]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(clusters(&placed), trained[..15], "the test split's series land where training put them");
    // Asked to read each file as series, the folder's one-column files do not fit.
    let (ok, said) = run(&["--input", str(&root), "--files-as", "series"]);
    assert!(!ok);
    assert!(said.contains("has 1 channel but"), "{said}");
    // HAR's other form, 561 features a row: X, y and subject files are one table, the
    // subjects left out of the features (clustering by person is not the point).
    let features = dir.join("features");
    std::fs::create_dir_all(&features).unwrap();
    let (mut x, mut y, mut subject) = (String::new(), String::new(), String::new());
    for r in 0..30 {
        let row: Vec<String> = (0..12).map(|c| format!("{:.6e}", (r % 3) as f32 + 0.05 * ((r * 12 + c) as f32).sin())).collect();
        x.push_str(&format!(" {}\n", row.join(" ")));
        y.push_str(&format!("{}\n", 1 + r % 3));
        subject.push_str(&format!("{}\n", 1 + r / 10));
    }
    for (name, text) in [("X_train.txt", &x), ("y_train.txt", &y), ("subject_train.txt", &subject)] {
        std::fs::write(features.join(name), text).unwrap();
    }
    let (ok, said) = run(&["--input", str(&features), "--save-model", str(&model)]);
    assert!(ok, "{said}");
    assert!(said.contains("subject_train.txt gives each of X_train.txt's rows its subject, as the column \"subject\", not a feature"), "{said}");
    assert!(said.contains("ACC 1.0000"), "{said}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",col12,label,subject,cluster,confidence"), "{text}");
    // The model places the same rows given as the test split's parts in a folder of their own.
    let test = dir.join("features-test");
    std::fs::create_dir_all(&test).unwrap();
    for (name, text) in [("X_test.txt", &x), ("y_test.txt", &y), ("subject_test.txt", &subject)] {
        std::fs::write(test.join(name), text).unwrap();
    }
    let done = deepclust(&["predict", "--model", str(&model), "--input", str(&test), "--out", str(&placed)]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(clusters(&placed), clusters(&out), "placed where training put them");
}
