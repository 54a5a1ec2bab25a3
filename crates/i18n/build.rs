//! The catalogues are embedded by `static_loader!` at compile time; tell cargo to rebuild this
//! crate whenever one of them changes (the macro itself does not track the files).

fn main() {
    println!("cargo:rerun-if-changed=locales");
    if let Ok(dirs) = std::fs::read_dir("locales") {
        for dir in dirs.flatten() {
            println!("cargo:rerun-if-changed={}", dir.path().display());
            if let Ok(files) = std::fs::read_dir(dir.path()) {
                for file in files.flatten() {
                    println!("cargo:rerun-if-changed={}", file.path().display());
                }
            }
        }
    }
}
