// Calls inside macro arguments are checked when the tokens parse as expressions.
#[pollguard::no_blocking]
async fn report() {
    println!("{}", std::fs::read_to_string("a").unwrap());
    let v = vec![std::fs::read("b").unwrap(); 2];
    assert!(std::path::Path::new("c").exists());
    let s = format!("{:?}", std::fs::metadata("d").unwrap());
    let (x, y) = tokio::join!(tokio::fs::read("e"), async { std::fs::read("f") });
    // Strings and comments never count: std::thread::sleep(d);
    let text = "std::thread::sleep(d)";
    drop((v, s, x, y, text));
}

fn main() {}
