//! `cargo-pollguard`: see the library's documentation and `cargo pollguard --help`.

/// The scan builds and drops syntax trees by the million; see the note on
/// this dependency in `Cargo.toml`.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    cargo_pollguard::run(std::env::args_os())
}
