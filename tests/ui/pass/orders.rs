// `#[tokio::main]`, `#[tokio::test]` and `#[async_trait]` on either side.
#[async_trait::async_trait]
trait Store {
    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>>;
    async fn put(&self, key: &str, value: &[u8]) -> std::io::Result<()>;
}

struct Disk;
struct Mem;

#[pollguard::no_blocking]
#[async_trait::async_trait]
impl Store for Disk {
    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let bytes = tokio::fs::read(key).await?;
        Ok(bytes)
    }
    async fn put(&self, key: &str, value: &[u8]) -> std::io::Result<()> {
        tokio::fs::write(key, value).await?;
        Ok(())
    }
}

#[async_trait::async_trait]
#[pollguard::no_blocking]
impl Store for Mem {
    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        if key.is_empty() {
            return Err(std::io::ErrorKind::NotFound.into());
        }
        Ok(key.as_bytes().to_vec())
    }
    async fn put(&self, _key: &str, _value: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
#[pollguard::no_blocking]
async fn below_test() {
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
}

#[pollguard::no_blocking]
#[tokio::test]
async fn above_test() {
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
}

#[tokio::main(flavor = "current_thread")]
#[pollguard::no_blocking]
async fn main() {
    assert_eq!(Mem.get("k").await.unwrap(), b"k");
    assert!(Mem.get("").await.is_err());
    Mem.put("k", b"v").await.unwrap();
    let _ = Disk.get("Cargo.toml").await;
}
