//! ozodi's keys and integrity primitives: the key file (a random data key wrapped by a key derived
//! from the instance passphrase with Argon2id), subkeys derived from the data key, password
//! hashing, random tokens, the audit hash chain, and encrypted evidence files.
//!
//! Everything cryptographic lives here and is built from well-reviewed crates (argon2,
//! chacha20poly1305, aead-stream, hkdf, sha2); nothing here hand-rolls a primitive. This crate
//! knows no SQL and no HTTP. Key material lives in zeroizing types and never implements a
//! revealing `Debug`.

pub mod archive;
pub mod blind;
pub mod blob;
pub mod chain;
pub mod field;
pub mod keyfile;
pub mod keys;
pub mod password;
pub mod token;

pub use archive::{ArchiveHeader, ArchiveKey, ArchiveReader, ArchiveWriter};
pub use blob::{
    BlobDigest, BlobError, BlobInfo, BlobKey, BlobReader, BlobWriter, open_blob, verify_blob, write_blob,
};
pub use keyfile::{KdfParams, KeyFile};
pub use keys::{DataKey, SubKey, SubKeyPurpose};

/// What can go wrong with keys.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The passphrase does not unwrap the data key.
    #[error("the passphrase is wrong (or the key file was altered)")]
    WrongPassphrase,
    /// The key file is missing.
    #[error("no key file at {0}")]
    KeyFileMissing(std::path::PathBuf),
    /// The key file exists but is not a valid ozodi key file.
    #[error("the key file at {path} is damaged or not an ozodi key file: {reason}")]
    KeyFileDamaged {
        /// Where the file is.
        path: std::path::PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Reading or writing the key file failed.
    #[error("cannot access the key file at {path}: {source}")]
    Io {
        /// Where the file is.
        path: std::path::PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Random,
    /// The passphrase is too short to protect the data key.
    #[error("the passphrase must be at least {0} characters")]
    PassphraseTooShort(usize),
    /// A key derivation failed (bad parameters).
    #[error("key derivation failed: {0}")]
    Kdf(String),
}

/// Fills `buf` from the operating system's random number generator.
pub fn random_bytes(buf: &mut [u8]) -> Result<(), VaultError> {
    getrandom::fill(buf).map_err(|_| VaultError::Random)
}
