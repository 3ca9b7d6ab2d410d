//! `cargo-pollguard`: see the library's documentation and `cargo pollguard --help`.

/// The scan builds and drops syntax trees by the million; see the note on
/// this dependency in `Cargo.toml`.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, which it reads at its start: its memory in
/// transparent huge pages where the system leaves that to the program
/// (`madvise`, the common default). A scan keeps a package's syntax trees
/// until its crate model exists, hundreds of MiB touched once: one page
/// fault per 2 MiB rather than per 4 KiB made a run on tokio 13% faster
/// (BENCHMARKS.md). The floor, which drops each tree at once, is unchanged.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: MallocConf = MallocConf(c"thp:always,metadata_thp:always".as_ptr());

/// A C string's address, as jemalloc declares `malloc_conf`.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[repr(transparent)]
struct MallocConf(*const std::ffi::c_char);

// SAFETY: it points at a string literal, never written.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
unsafe impl Sync for MallocConf {}

fn main() -> std::process::ExitCode {
    cargo_pollguard::run(std::env::args_os())
}
