// The templates and fonts are compiled into the binary (include_dir!): rebuild when any of them changes.
fn main() {
    println!("cargo:rerun-if-changed=../../typst-templates");
}
