//! The README's methods table is the registry's, so a method added or renamed shows there.

#[test]
fn the_readme_lists_every_method_as_the_registry_does() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table = deepclust::cluster::registry::methods_table();
    assert!(
        readme.contains(&table),
        "README.md's methods table differs from the registry's; replace it with the output of \
         `deepclust methods`:\n{table}"
    );
}
