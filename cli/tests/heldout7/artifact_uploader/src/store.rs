//! S3-compatible artifact store (MinIO on-prem, S3 for public releases).

use std::time::Duration;

use s3::creds::Credentials;
use s3::{Bucket, Region};
use tokio_retry::strategy::FixedInterval;
use tokio_retry::Retry;
use tracing::info;

use crate::git::{self, HeadInfo};
use crate::hashing;
use crate::workspace::Artifact;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub struct ArtifactStore {
    bucket: Box<Bucket>,
    prefix: String,
}

impl ArtifactStore {
    pub fn from_env(head: &HeadInfo) -> Result<Self, BoxError> {
        let region = Region::Custom {
            region: std::env::var("S3_REGION").unwrap_or_else(|_| "us-east-1".into()),
            endpoint: std::env::var("S3_ENDPOINT").unwrap_or_else(|_| "https://s3.amazonaws.com".into()),
        };
        let creds = match (std::env::var("S3_ACCESS_KEY"), std::env::var("S3_SECRET_KEY")) {
            (Ok(key), Ok(secret)) => Credentials::new(Some(&key), Some(&secret), None, None, None)?,
            // Falls back to ~/.aws/credentials and the instance metadata service.
            _ => Credentials::default()?,
        };
        let bucket = Bucket::new("build-artifacts", region, creds)?.with_path_style();
        Ok(ArtifactStore { bucket, prefix: format!("{}/{}", head.branch, git::short(&head.sha)) })
    }

    fn key(&self, a: &Artifact) -> String {
        format!("{}/{}", self.prefix, a.remote_name())
    }

    /// Used by the nightly cleanup job, which has no runtime of its own.
    pub fn exists_blocking(&self, a: &Artifact) -> Result<bool, s3::error::S3Error> {
        self.bucket.object_exists_blocking(self.key(a))
    }

    pub async fn upload(&self, a: &Artifact) -> Result<(), BoxError> {
        let key = self.key(a);
        if self.exists_blocking(a)? { //~ block_on
            info!(%key, "already uploaded");
            return Ok(());
        }
        let data = tokio::fs::read(&a.path).await?; //~ ok(fs)
        if hashing::sha256_bytes(&data) != a.sha256 { //~ ok(fs)
            return Err(format!("{} changed while uploading", a.path.display()).into());
        }
        let put = || self.bucket.put_object(&key, &data);
        Retry::start(FixedInterval::from_millis(2000).take(3), put).await?; //~ ok(http_blocking)
        let checksum_key = format!("{key}.sha256");
        self.bucket.put_object_blocking(&checksum_key, a.sha256.as_bytes())?; //~ block_on
        Ok(())
    }

    /// Re-uploads an artifact after a corrupted-object report.
    pub async fn reupload(&self, a: &Artifact) -> Result<(), BoxError> {
        let data = std::fs::read(&a.path)?; //~ fs
        self.bucket.delete_object(self.key(a)).await?; //~ ok(http_blocking)
        tokio::time::sleep(Duration::from_secs(1)).await; //~ ok(sleep)
        self.bucket.put_object(self.key(a), &data).await?; //~ ok(http_blocking)
        Ok(())
    }
}
