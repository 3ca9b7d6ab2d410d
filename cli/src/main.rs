//! `cargo-pollguard`: see the library's documentation and `cargo pollguard --help`.

fn main() -> std::process::ExitCode {
    cargo_pollguard::run(std::env::args_os())
}
