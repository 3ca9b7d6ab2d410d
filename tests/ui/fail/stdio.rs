// pollguard::stdio: reading standard input.
#[pollguard::no_blocking]
async fn ask() -> std::io::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line)
}

fn main() {}
