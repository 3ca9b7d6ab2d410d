//! Arbitrary bytes as a source file: read like the CLI reads a file, parsed,
//! analysed, and followed through the transitive closure with a second copy
//! of itself as another module of the same crate. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = cargo_pollguard::source::decode(data.to_vec()) else {
        return;
    };
    // syn recurses; run where the CLI runs it, on a big stack.
    std::thread::Builder::new()
        .stack_size(cargo_pollguard::source::STACK_SIZE)
        .spawn(move || cargo_pollguard::scan::fuzz_one(&text))
        .expect("spawn")
        .join()
        .expect("no panic");
});
