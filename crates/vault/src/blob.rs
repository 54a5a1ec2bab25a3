//! Encrypted evidence files ("blobs"): documents, photos, audio and video, streamed to disk
//! encrypted chunk by chunk, with the SHA-256 of the plaintext computed as it arrives. Memory use is
//! bounded by one chunk, whatever the file's size.
//!
//! # File format, version 1
//!
//! ```text
//! header   32 bytes: "OZEVBLOB" | version u8 = 1 | chunk size u32 BE = 65536 | nonce prefix (19 random)
//! chunk 0  ciphertext of 65536 plaintext bytes + 16-byte Poly1305 tag
//! ...
//! chunk n  ciphertext of 1..=65536 plaintext bytes + 16-byte tag   (the last chunk)
//! ```
//!
//! The chunks are XChaCha20-Poly1305 in the STREAM construction (Hoang, Reyhanitabar, Rogaway and
//! Vizár, "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance", 2015), as the
//! RustCrypto `aead-stream` crate's `StreamBE32` implements it: chunk `i`'s 24-byte nonce is the
//! file's random 19-byte prefix, then `i` as a 32-bit big-endian counter, then one byte that is 1
//! for the last chunk and 0 for every other. Every chunk's associated data is the 32-byte header
//! followed by the evidence item's id. So:
//!
//! - reordering chunks, or taking one from another file, fails (counter, nonce prefix);
//! - cutting the file at a chunk boundary fails (no chunk carried the last flag there), and so do
//!   cutting or extending a chunk (tag) and bytes after the last chunk (they would not be last);
//! - editing the header, or copying a file onto another item's path, fails (associated data).
//!
//! Only the last chunk may be shorter than 65536 bytes, and it is never empty: an empty upload is
//! refused, so every file has at least one chunk.
//!
//! A reader hands out each chunk as soon as it is authenticated, before the rest of the file is
//! read: a consumer that streams evidence onwards must treat an error at any chunk as the failure
//! of the whole file (truncation is only detected at the end).
//!
//! This module must not put plaintext or key material into errors, `Debug` or logs, hold a whole
//! file in memory, or leave a partial file under a final name: files are written under a temporary
//! name, synced, and linked into place without ever replacing an existing file.

use std::fmt;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

use aead_stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::KeyInit;
use sha2::{Digest, Sha256};
use tokio::fs::{File, OpenOptions};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use zeroize::Zeroizing;

use crate::keys::{DataKey, SubKey, SubKeyPurpose};

/// Plaintext bytes per chunk.
pub const CHUNK_SIZE: usize = 64 * 1024;

/// How many leading plaintext bytes [`BlobInfo::head`] keeps.
pub const HEAD_SIZE: usize = 64;

const MAGIC: &[u8; 8] = b"OZEVBLOB";
const VERSION: u8 = 1;
const CHUNK_SIZE_U32: u32 = 64 * 1024;
const TAG: usize = 16;
const SEALED_CHUNK: usize = CHUNK_SIZE + TAG;
/// XChaCha20's 24-byte nonce less STREAM's 4-byte counter and 1-byte last flag.
const PREFIX: usize = 19;
const HEADER: usize = MAGIC.len() + 1 + 4 + PREFIX;

type Encryptor = EncryptorBE32<XChaCha20Poly1305>;
type Decryptor = DecryptorBE32<XChaCha20Poly1305>;

/// What can go wrong with an evidence file. No message holds plaintext or key material.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The upload had no bytes.
    #[error("the evidence file is empty")]
    Empty,
    /// The upload is larger than allowed; reading stopped at the limit.
    #[error("the evidence file is larger than the limit of {max} bytes")]
    TooLarge {
        /// The limit in bytes.
        max: u64,
    },
    /// A file for this item is already stored; it is never replaced.
    #[error("an evidence file for this item already exists")]
    Exists,
    /// The item id is not a plain token (ASCII letters, digits and `-`, at most 64), so it cannot
    /// name a file safely.
    #[error("the evidence item id is not a valid file name")]
    BadItemId,
    /// There is no file at this path.
    #[error("the evidence file {0} is missing")]
    Missing(PathBuf),
    /// The file was altered, truncated, extended, belongs to another item, or was sealed with
    /// another key.
    #[error("the evidence file {0} is damaged or altered, or belongs to another item or instance")]
    Corrupt(PathBuf),
    /// A write after an earlier failure: the writer has already removed its temporary file.
    #[error("the evidence file was abandoned after an earlier error")]
    Aborted,
    /// Reading the upload failed (for example, the client went away).
    #[error("reading the uploaded evidence failed: {0}")]
    Source(#[source] io::Error),
    /// Reading or writing the file failed.
    #[error("cannot access the evidence file {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Random,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> BlobError + '_ {
    move |source| BlobError::Io { path: path.to_path_buf(), source }
}

/// The key of an instance's evidence files, derived from the data key. Zeroed on drop; `Debug`
/// prints nothing of it.
pub struct BlobKey(SubKey);

impl BlobKey {
    /// The evidence key of the instance whose data key is `key`.
    pub fn new(key: &DataKey) -> Self {
        BlobKey(key.derive(SubKeyPurpose::Evidence))
    }

    /// The key of identity files (face photos, consent forms, ID documents): a subkey of its own,
    /// so the identity compartment's files can be left out of any copy that leaves out identities.
    pub fn identity(key: &DataKey) -> Self {
        BlobKey(key.derive(SubKeyPurpose::IdentityFiles))
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&(*self.0.expose()).into())
    }
}

impl fmt::Debug for BlobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlobKey(<secret>)")
    }
}

/// A stored evidence file, as received.
pub struct BlobInfo {
    /// SHA-256 of the plaintext bytes as received.
    pub sha256: [u8; 32],
    /// Plaintext size in bytes.
    pub size: u64,
    /// The first [`HEAD_SIZE`] plaintext bytes (fewer for a shorter file), to check the file type
    /// by its magic bytes. Evidence content: `Debug` shows only its length.
    pub head: Vec<u8>,
    /// Where the encrypted file is.
    pub path: PathBuf,
}

impl BlobInfo {
    /// The hash and size, to compare with what [`verify_blob`] finds later.
    pub fn digest(&self) -> BlobDigest {
        BlobDigest { sha256: self.sha256, size: self.size }
    }
}

impl fmt::Debug for BlobInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobInfo")
            .field("sha256", &hex::encode(self.sha256))
            .field("size", &self.size)
            .field("head", &format_args!("<{} bytes>", self.head.len()))
            .field("path", &self.path)
            .finish()
    }
}

/// The SHA-256 and size of an evidence file's plaintext.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobDigest {
    /// SHA-256 of the plaintext.
    pub sha256: [u8; 32],
    /// Plaintext size in bytes.
    pub size: u64,
}

/// Where the evidence file of `item_id` lives in `dir`: `dir/<item_id>.blob`. Refuses an id that is
/// not 1 to 64 ASCII letters, digits and `-` (a UUID fits), so no id can leave `dir`.
pub fn blob_path(dir: &Path, item_id: &str) -> Result<PathBuf, BlobError> {
    let plain = item_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !plain || !(1..=64).contains(&item_id.len()) {
        return Err(BlobError::BadItemId);
    }
    Ok(dir.join(format!("{item_id}.blob")))
}

fn header(prefix: &[u8; PREFIX]) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[..8].copy_from_slice(MAGIC);
    h[8] = VERSION;
    h[9..13].copy_from_slice(&CHUNK_SIZE_U32.to_be_bytes());
    h[13..].copy_from_slice(prefix);
    h
}

/// The nonce prefix of a version 1 header with our chunk size; `None` for anything else.
fn parse_header(h: &[u8; HEADER]) -> Option<[u8; PREFIX]> {
    let known = h[..8] == MAGIC[..] && h[8] == VERSION && h[9..13] == CHUNK_SIZE_U32.to_be_bytes();
    if !known {
        return None;
    }
    h[13..].try_into().ok()
}

/// The associated data of every chunk: the fixed-length header, then the item id.
fn associated_data(header: &[u8; HEADER], item_id: &str) -> Vec<u8> {
    [header.as_slice(), item_id.as_bytes()].concat()
}

/// Encrypts an evidence file as it arrives, push-style (for a multipart upload, say), into a
/// temporary file beside its final place. [`BlobWriter::finish`] moves it into place; dropping the
/// writer without finishing, or any error, removes the temporary file.
///
/// Not cancel-safe: if a `write` or `finish` future is dropped before it completes (a client went
/// away, say), drop the writer too.
pub struct BlobWriter {
    file: File,
    dir: PathBuf,
    dest: PathBuf,
    /// The temporary file while it exists and is ours to remove.
    tmp: Option<PathBuf>,
    /// `None` once the writer failed or finished.
    encryptor: Option<Encryptor>,
    aad: Vec<u8>,
    /// Plaintext not yet sealed: up to one chunk, kept until more arrives so the last chunk is
    /// known. Capacity for the tag too, so sealing in place never reallocates (and never leaves an
    /// unzeroed copy of plaintext behind).
    pending: Zeroizing<Vec<u8>>,
    hasher: Sha256,
    head: Vec<u8>,
    size: u64,
    max_bytes: u64,
}

impl fmt::Debug for BlobWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobWriter")
            .field("dest", &self.dest)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl BlobWriter {
    /// Starts the evidence file of `item_id` in `dir`, accepting at most `max_bytes` of plaintext.
    /// Fails at once with [`BlobError::Exists`] if the item already has a file.
    pub async fn create(key: &BlobKey, item_id: &str, dir: &Path, max_bytes: u64) -> Result<Self, BlobError> {
        let dest = blob_path(dir, item_id)?;
        if tokio::fs::try_exists(&dest).await.map_err(io_error(&dest))? {
            return Err(BlobError::Exists);
        }
        let mut prefix = [0u8; PREFIX];
        crate::random_bytes(&mut prefix).map_err(|_| BlobError::Random)?;
        let mut suffix = [0u8; 8];
        crate::random_bytes(&mut suffix).map_err(|_| BlobError::Random)?;
        // Dot-prefixed: an interrupted upload (a crash) leaves `.<id>.<random>.tmp`, safe to delete.
        let tmp = dir.join(format!(".{item_id}.{}.tmp", hex::encode(suffix)));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .await
            .map_err(io_error(&tmp))?;
        let header = header(&prefix);
        let mut writer = BlobWriter {
            file,
            dir: dir.to_path_buf(),
            dest,
            tmp: Some(tmp),
            encryptor: Some(Encryptor::from_aead(key.cipher(), &prefix.into())),
            aad: associated_data(&header, item_id),
            pending: Zeroizing::new(Vec::with_capacity(SEALED_CHUNK)),
            hasher: Sha256::new(),
            head: Vec::with_capacity(HEAD_SIZE),
            size: 0,
            max_bytes,
        };
        // On error `writer` is dropped here, which removes the temporary file.
        writer.file.write_all(&header).await.map_err(io_error(&writer.dest))?;
        Ok(writer)
    }

    /// Appends plaintext. Fails with [`BlobError::TooLarge`] as soon as the total passes the
    /// limit. After any error the writer is spent: its temporary file is gone and every later call
    /// fails with [`BlobError::Aborted`].
    pub async fn write(&mut self, bytes: &[u8]) -> Result<(), BlobError> {
        if self.encryptor.is_none() {
            return Err(BlobError::Aborted);
        }
        let result = self.append(bytes).await;
        if result.is_err() {
            self.abandon();
        }
        result
    }

    async fn append(&mut self, mut bytes: &[u8]) -> Result<(), BlobError> {
        let size = self.size.saturating_add(bytes.len() as u64);
        if size > self.max_bytes {
            return Err(BlobError::TooLarge { max: self.max_bytes });
        }
        self.size = size;
        self.hasher.update(bytes);
        let head = (HEAD_SIZE - self.head.len()).min(bytes.len());
        self.head.extend_from_slice(&bytes[..head]);
        while !bytes.is_empty() {
            // A full chunk is sealed only once more bytes arrive: until then it may be the last.
            if self.pending.len() == CHUNK_SIZE {
                self.seal_next().await?;
            }
            let (now, rest) = bytes.split_at((CHUNK_SIZE - self.pending.len()).min(bytes.len()));
            self.pending.extend_from_slice(now);
            bytes = rest;
        }
        Ok(())
    }

    async fn seal_next(&mut self) -> Result<(), BlobError> {
        let encryptor = self.encryptor.as_mut().ok_or(BlobError::Aborted)?;
        // The only failure is STREAM's counter running out, after 2^32 chunks (256 TiB).
        encryptor
            .encrypt_next_in_place(&self.aad, &mut *self.pending)
            .map_err(|_| BlobError::TooLarge { max: self.max_bytes })?;
        self.file.write_all(&self.pending).await.map_err(io_error(&self.dest))?;
        self.pending.clear();
        Ok(())
    }

    /// Seals the last chunk, syncs the file, links it into place (never replacing an existing
    /// file: [`BlobError::Exists`]) and syncs the directory. Fails with [`BlobError::Empty`] if
    /// nothing was written. On any error nothing is left in the directory. The directory must be
    /// on a file system with hard links (any local Linux one), which give the no-replace move.
    pub async fn finish(mut self) -> Result<BlobInfo, BlobError> {
        let encryptor = self.encryptor.take().ok_or(BlobError::Aborted)?;
        if self.size == 0 {
            return Err(BlobError::Empty);
        }
        encryptor
            .encrypt_last_in_place(&self.aad, &mut *self.pending)
            .map_err(|_| BlobError::TooLarge { max: self.max_bytes })?;
        self.file.write_all(&self.pending).await.map_err(io_error(&self.dest))?;
        self.file.flush().await.map_err(io_error(&self.dest))?;
        self.file.sync_all().await.map_err(io_error(&self.dest))?;
        let tmp = self.tmp.clone().ok_or(BlobError::Aborted)?;
        // A hard link fails if the target exists, where a rename would silently replace it.
        match tokio::fs::hard_link(&tmp, &self.dest).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => return Err(BlobError::Exists),
            Err(e) => return Err(io_error(&self.dest)(e)),
        }
        if let Err(e) = self.settle(&tmp).await {
            // Keep the promise that an error leaves nothing behind.
            tokio::fs::remove_file(&self.dest).await.ok();
            return Err(e);
        }
        Ok(BlobInfo {
            sha256: std::mem::take(&mut self.hasher).finalize().into(),
            size: self.size,
            head: std::mem::take(&mut self.head),
            path: self.dest.clone(),
        })
    }

    /// Removes the temporary name and makes the new name durable.
    async fn settle(&mut self, tmp: &Path) -> Result<(), BlobError> {
        tokio::fs::remove_file(tmp).await.map_err(io_error(tmp))?;
        self.tmp = None;
        let dir = File::open(&self.dir).await.map_err(io_error(&self.dir))?;
        dir.sync_all().await.map_err(io_error(&self.dir))
    }

    fn abandon(&mut self) {
        self.encryptor = None;
        if let Some(tmp) = self.tmp.take() {
            std::fs::remove_file(tmp).ok();
        }
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        self.abandon();
    }
}

/// Reads `source` to its end into the evidence file of `item_id` in `dir` (see [`BlobWriter`]).
/// Reads at most one byte past `max_bytes` before refusing with [`BlobError::TooLarge`].
pub async fn write_blob<R: AsyncRead + Unpin>(
    key: &BlobKey,
    item_id: &str,
    source: R,
    dir: &Path,
    max_bytes: u64,
) -> Result<BlobInfo, BlobError> {
    let mut writer = BlobWriter::create(key, item_id, dir, max_bytes).await?;
    let mut source = source.take(max_bytes.saturating_add(1));
    let mut buf = Zeroizing::new(vec![0u8; CHUNK_SIZE]);
    loop {
        let n = source.read(&mut buf[..]).await.map_err(BlobError::Source)?;
        if n == 0 {
            return writer.finish().await;
        }
        writer.write(&buf[..n]).await?;
    }
}

enum ReadState {
    Reading(Decryptor),
    Done,
    Failed,
}

/// Decrypts an evidence file one chunk at a time (see [`open_blob`]).
pub struct BlobReader {
    file: File,
    path: PathBuf,
    aad: Vec<u8>,
    state: ReadState,
    /// One byte read past the current chunk, which tells whether that chunk is the last.
    lookahead: Option<u8>,
}

impl fmt::Debug for BlobReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobReader").field("path", &self.path).finish_non_exhaustive()
    }
}

/// Opens the evidence file at `path` as item `item_id`'s. Fails with [`BlobError::Missing`] if
/// there is no file and [`BlobError::Corrupt`] if its header is not a version 1 header.
pub async fn open_blob(key: &BlobKey, item_id: &str, path: &Path) -> Result<BlobReader, BlobError> {
    let corrupt = || BlobError::Corrupt(path.to_path_buf());
    let mut file = File::open(path).await.map_err(|e| match e.kind() {
        ErrorKind::NotFound => BlobError::Missing(path.to_path_buf()),
        _ => io_error(path)(e),
    })?;
    let mut header = [0u8; HEADER];
    match file.read_exact(&mut header).await {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Err(corrupt()),
        Err(e) => return Err(io_error(path)(e)),
    }
    let prefix = parse_header(&header).ok_or_else(corrupt)?;
    Ok(BlobReader {
        file,
        path: path.to_path_buf(),
        aad: associated_data(&header, item_id),
        state: ReadState::Reading(Decryptor::from_aead(key.cipher(), &prefix.into())),
        lookahead: None,
    })
}

impl BlobReader {
    /// The next chunk of plaintext (at most [`CHUNK_SIZE`] bytes, never empty), or `None` after
    /// the last. Fails with [`BlobError::Corrupt`] on any altered, missing, reordered or extra
    /// byte; after an error every call fails.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, BlobError> {
        match std::mem::replace(&mut self.state, ReadState::Failed) {
            ReadState::Done => {
                self.state = ReadState::Done;
                Ok(None)
            }
            ReadState::Failed => Err(BlobError::Corrupt(self.path.clone())),
            ReadState::Reading(decryptor) => self.open_chunk(decryptor).await.map(Some),
        }
    }

    /// Reads one sealed chunk plus one byte: if that byte exists, the chunk is not the last.
    async fn open_chunk(&mut self, decryptor: Decryptor) -> Result<Vec<u8>, BlobError> {
        let mut buf = Vec::with_capacity(SEALED_CHUNK + 1);
        buf.extend(self.lookahead.take());
        fill(&mut self.file, &mut buf, SEALED_CHUNK + 1).await.map_err(io_error(&self.path))?;
        let corrupt = || BlobError::Corrupt(self.path.clone());
        if buf.len() > SEALED_CHUNK {
            self.lookahead = buf.pop();
            let mut decryptor = decryptor;
            decryptor.decrypt_next_in_place(&self.aad, &mut buf).map_err(|_| corrupt())?;
            self.state = ReadState::Reading(decryptor);
        } else {
            // The last chunk holds at least one byte: a bare tag here means a cut file.
            if buf.len() <= TAG {
                return Err(corrupt());
            }
            decryptor.decrypt_last_in_place(&self.aad, &mut buf).map_err(|_| corrupt())?;
            self.state = ReadState::Done;
        }
        Ok(buf)
    }
}

/// Reads into `buf` until it holds `want` bytes or the file ends.
async fn fill(file: &mut File, buf: &mut Vec<u8>, want: usize) -> io::Result<()> {
    let mut filled = buf.len();
    buf.resize(want, 0);
    while filled < want {
        let n = file.read(&mut buf[filled..]).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    buf.truncate(filled);
    Ok(())
}

/// Decrypts the whole evidence file at `path` as item `item_id`'s and hashes its plaintext, for
/// `ozodi evidence verify`: compare the result with the digest recorded at ingest.
/// [`BlobError::Missing`] if there is no file, [`BlobError::Corrupt`] if it fails authentication.
pub async fn verify_blob(key: &BlobKey, item_id: &str, path: &Path) -> Result<BlobDigest, BlobError> {
    let mut reader = open_blob(key, item_id, path).await?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = reader.next_chunk().await? {
        let chunk = Zeroizing::new(chunk);
        hasher.update(&chunk[..]);
        size += chunk.len() as u64;
    }
    Ok(BlobDigest { sha256: hasher.finalize().into(), size })
}

#[cfg(test)]
mod tests {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use tokio::io::ReadBuf;

    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const ITEM: &str = "0190f5a2-7c1e-7b3a-9d4e-2f6a8b1c3d5e";
    const OTHER: &str = "0190f5a2-7c1e-7b3a-9d4e-2f6a8b1c3d5f";
    const MIB: u64 = 1024 * 1024;

    fn key() -> BlobKey {
        BlobKey::new(&DataKey::from_bytes([5; 32]))
    }

    /// Generated bytes (xorshift), so no two chunks are alike.
    fn data(len: usize) -> Vec<u8> {
        let mut x: u32 = 0x9e37_79b9;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x.to_le_bytes()[0]
            })
            .collect()
    }

    fn names(dir: &Path) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            out.push(entry?.file_name().to_string_lossy().into_owned());
        }
        out.sort();
        Ok(out)
    }

    async fn read_all(key: &BlobKey, item_id: &str, path: &Path) -> Result<Vec<u8>, BlobError> {
        let mut reader = open_blob(key, item_id, path).await?;
        let mut out = Vec::new();
        while let Some(chunk) = reader.next_chunk().await? {
            assert!(!chunk.is_empty() && chunk.len() <= CHUNK_SIZE, "chunk of {} bytes", chunk.len());
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// Writes `bytes` as a file and checks that it fails to open as `ITEM`'s, as `Corrupt`.
    async fn assert_corrupt(key: &BlobKey, dir: &Path, bytes: &[u8], what: &str) -> TestResult {
        let path = dir.join("tampered.blob");
        std::fs::write(&path, bytes)?;
        match verify_blob(key, ITEM, &path).await {
            Err(BlobError::Corrupt(_)) => Ok(()),
            other => Err(format!("{what}: expected Corrupt, got {other:?}").into()),
        }
    }

    /// A three-chunk blob for `ITEM` (two full chunks and 1000 bytes), as file bytes.
    async fn three_chunk_blob(key: &BlobKey, dir: &Path) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let plain = data(2 * CHUNK_SIZE + 1000);
        let info = write_blob(key, ITEM, plain.as_slice(), dir, MIB).await?;
        let bytes = std::fs::read(&info.path)?;
        assert_eq!(bytes.len(), HEADER + 2 * SEALED_CHUNK + 1000 + TAG);
        Ok(bytes)
    }

    fn chunk_at(i: usize) -> std::ops::Range<usize> {
        HEADER + i * SEALED_CHUNK..HEADER + (i + 1) * SEALED_CHUNK
    }

    #[tokio::test]
    async fn round_trips_at_chunk_boundaries_and_hashes_the_plaintext() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let sizes = [1, HEAD_SIZE, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 3 * MIB as usize + 12_345];
        for (i, len) in sizes.into_iter().enumerate() {
            let item = format!("item-{i}");
            let plain = data(len);
            let info = write_blob(&key, &item, plain.as_slice(), dir.path(), 4 * MIB).await?;
            let sha256: [u8; 32] = Sha256::digest(&plain).into();
            assert_eq!(info.digest(), BlobDigest { sha256, size: len as u64 });
            assert_eq!(info.head, plain[..len.min(HEAD_SIZE)]);
            assert_eq!(info.path, dir.path().join(format!("{item}.blob")));
            let sealed_len = HEADER + len + len.div_ceil(CHUNK_SIZE) * TAG;
            assert_eq!(std::fs::metadata(&info.path)?.len(), sealed_len as u64, "{len} bytes");
            assert_eq!(read_all(&key, &item, &info.path).await?, plain, "{len} bytes");
            assert_eq!(verify_blob(&key, &item, &info.path).await?, info.digest());
        }
        Ok(())
    }

    #[tokio::test]
    async fn blob_is_owner_only_and_no_temporary_file_remains() -> TestResult {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let info = write_blob(&key(), ITEM, &b"photo"[..], dir.path(), MIB).await?;
        assert_eq!(std::fs::metadata(&info.path)?.permissions().mode() & 0o777, 0o600);
        assert_eq!(names(dir.path())?, [format!("{ITEM}.blob")]);
        Ok(())
    }

    #[tokio::test]
    async fn push_writer_in_small_pieces_matches_the_plaintext() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let plain = data(3 * CHUNK_SIZE + 7);
        let mut writer = BlobWriter::create(&key, ITEM, dir.path(), MIB).await?;
        for piece in plain.chunks(1000) {
            writer.write(piece).await?;
        }
        writer.write(&[]).await?;
        let info = writer.finish().await?;
        let sha256: [u8; 32] = Sha256::digest(&plain).into();
        assert_eq!(info.sha256, sha256);
        assert_eq!(read_all(&key, ITEM, &info.path).await?, plain);
        Ok(())
    }

    #[tokio::test]
    async fn dropped_writer_leaves_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        let mut writer = BlobWriter::create(&key(), ITEM, dir.path(), MIB).await?;
        writer.write(&data(CHUNK_SIZE + 5)).await?;
        assert_eq!(names(dir.path())?.len(), 1, "the temporary file exists while writing");
        drop(writer);
        assert!(names(dir.path())?.is_empty());
        Ok(())
    }

    #[tokio::test]
    async fn empty_upload_is_refused_and_leaves_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        let result = write_blob(&key(), ITEM, &b""[..], dir.path(), MIB).await;
        assert!(matches!(result, Err(BlobError::Empty)), "{result:?}");
        assert!(names(dir.path())?.is_empty());
        Ok(())
    }

    /// An endless-looking upload that counts what was taken from it.
    struct CountingSource {
        served: u64,
        len: u64,
    }

    impl AsyncRead for CountingSource {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let n = (self.len - self.served).min(buf.remaining() as u64);
            buf.put_slice(&vec![b'x'; usize::try_from(n).map_err(io::Error::other)?]);
            self.served += n;
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn oversized_upload_is_refused_early_and_leaves_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        let limit = 200_000;
        let mut source = CountingSource { served: 0, len: 10 * limit };
        let result = write_blob(&key(), ITEM, &mut source, dir.path(), limit).await;
        assert!(matches!(result, Err(BlobError::TooLarge { max: 200_000 })), "{result:?}");
        assert_eq!(source.served, limit + 1, "reading must stop one byte past the limit");
        assert!(names(dir.path())?.is_empty());

        let exactly = write_blob(&key(), ITEM, data(200_000).as_slice(), dir.path(), limit).await?;
        assert_eq!(exactly.size, limit, "the limit itself is allowed");
        Ok(())
    }

    #[tokio::test]
    async fn push_writer_past_the_limit_is_spent_and_leaves_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        let mut writer = BlobWriter::create(&key(), ITEM, dir.path(), 100_000).await?;
        writer.write(&data(90_000)).await?;
        let result = writer.write(&data(20_000)).await;
        assert!(matches!(result, Err(BlobError::TooLarge { .. })), "{result:?}");
        assert!(names(dir.path())?.is_empty(), "removed at once, not only on drop");
        assert!(matches!(writer.write(b"more").await, Err(BlobError::Aborted)));
        assert!(matches!(writer.finish().await, Err(BlobError::Aborted)));
        assert!(names(dir.path())?.is_empty());
        Ok(())
    }

    #[tokio::test]
    async fn flipped_byte_anywhere_is_detected() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let good = three_chunk_blob(&key, dir.path()).await?;
        let last = good.len() - 1;
        let places = [
            ("magic", 0),
            ("version", 8),
            ("chunk size", 11),
            ("nonce prefix", 20),
            ("first ciphertext byte", HEADER),
            ("tag of the first chunk", chunk_at(0).end - 1),
            ("middle of the middle chunk", chunk_at(1).start + CHUNK_SIZE / 2),
            ("last ciphertext byte", last - TAG),
            ("last tag", last),
        ];
        for (what, at) in places {
            let mut bad = good.clone();
            bad[at] ^= 0x01;
            assert_corrupt(&key, dir.path(), &bad, what).await?;
        }
        Ok(())
    }

    #[tokio::test]
    async fn reader_reports_corruption_and_stays_failed() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let mut bad = three_chunk_blob(&key, dir.path()).await?;
        bad[chunk_at(1).start + 3] ^= 0x80;
        let path = dir.path().join("tampered.blob");
        std::fs::write(&path, &bad)?;
        let mut reader = open_blob(&key, ITEM, &path).await?;
        assert_eq!(reader.next_chunk().await?.map(|c| c.len()), Some(CHUNK_SIZE), "chunk 0 is intact");
        assert!(matches!(reader.next_chunk().await, Err(BlobError::Corrupt(_))));
        assert!(matches!(reader.next_chunk().await, Err(BlobError::Corrupt(_))), "never Ok(None) after");
        Ok(())
    }

    #[tokio::test]
    async fn truncation_is_detected() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let good = three_chunk_blob(&key, dir.path()).await?;
        let cuts = [
            ("last chunk dropped", chunk_at(2).start),
            ("last two chunks dropped", chunk_at(1).start),
            ("cut in the middle of the last chunk", good.len() - 50),
            ("cut in the middle of a full chunk", chunk_at(1).start + 100),
            ("tag of the last chunk only", chunk_at(2).start + TAG),
            ("header only", HEADER),
            ("cut in the header", 20),
            ("empty file", 0),
        ];
        for (what, len) in cuts {
            assert_corrupt(&key, dir.path(), &good[..len], what).await?;
        }

        // Dropping a whole chunk when every chunk is full: still no last flag.
        let full = write_blob(&key, OTHER, data(3 * CHUNK_SIZE).as_slice(), dir.path(), MIB).await?;
        let bytes = std::fs::read(&full.path)?;
        let path = dir.path().join("cut.blob");
        std::fs::write(&path, &bytes[..chunk_at(2).start])?;
        assert!(matches!(verify_blob(&key, OTHER, &path).await, Err(BlobError::Corrupt(_))));
        Ok(())
    }

    #[tokio::test]
    async fn appended_bytes_are_detected() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let good = three_chunk_blob(&key, dir.path()).await?;
        let one_byte = [good.as_slice(), b"x"].concat();
        assert_corrupt(&key, dir.path(), &one_byte, "one byte appended").await?;
        let a_chunk = [good.as_slice(), &good[chunk_at(1)]].concat();
        assert_corrupt(&key, dir.path(), &a_chunk, "a chunk repeated at the end").await?;
        let a_tag = [good.as_slice(), &good[good.len() - TAG..]].concat();
        assert_corrupt(&key, dir.path(), &a_tag, "a tag's worth appended").await?;
        Ok(())
    }

    #[tokio::test]
    async fn reordered_chunks_are_detected() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let good = three_chunk_blob(&key, dir.path()).await?;
        let swapped =
            [&good[..HEADER], &good[chunk_at(1)], &good[chunk_at(0)], &good[chunk_at(2).start..]].concat();
        assert_corrupt(&key, dir.path(), &swapped, "chunks 0 and 1 swapped").await?;
        let dropped_middle = [&good[..chunk_at(1).start], &good[chunk_at(2).start..]].concat();
        assert_corrupt(&key, dir.path(), &dropped_middle, "middle chunk dropped").await?;
        Ok(())
    }

    #[tokio::test]
    async fn chunk_from_another_file_is_detected() -> TestResult {
        let key = key();
        let (one, two) = (tempfile::tempdir()?, tempfile::tempdir()?);
        let a = three_chunk_blob(&key, one.path()).await?;
        let b = three_chunk_blob(&key, two.path()).await?;
        assert_ne!(a[chunk_at(1)], b[chunk_at(1)], "same plaintext, fresh nonce prefix per file");
        let spliced = [&a[..chunk_at(1).start], &b[chunk_at(1)], &a[chunk_at(2).start..]].concat();
        assert_corrupt(&key, one.path(), &spliced, "chunk 1 taken from another file").await?;
        let new_header = [&b[..HEADER], &a[HEADER..]].concat();
        assert_corrupt(&key, one.path(), &new_header, "header taken from another file").await?;
        Ok(())
    }

    #[tokio::test]
    async fn blob_copied_onto_another_item_fails_to_open() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let info = write_blob(&key, ITEM, data(1000).as_slice(), dir.path(), MIB).await?;
        let other = blob_path(dir.path(), OTHER)?;
        std::fs::copy(&info.path, &other)?;
        assert!(matches!(verify_blob(&key, OTHER, &other).await, Err(BlobError::Corrupt(_))));
        assert_eq!(verify_blob(&key, ITEM, &info.path).await?, info.digest());
        Ok(())
    }

    #[tokio::test]
    async fn wrong_key_fails_to_open() -> TestResult {
        let dir = tempfile::tempdir()?;
        let info = write_blob(&key(), ITEM, data(1000).as_slice(), dir.path(), MIB).await?;
        let other_instance = BlobKey::new(&DataKey::from_bytes([6; 32]));
        assert!(matches!(verify_blob(&other_instance, ITEM, &info.path).await, Err(BlobError::Corrupt(_))));
        Ok(())
    }

    #[tokio::test]
    async fn plaintext_never_appears_in_the_file() -> TestResult {
        let dir = tempfile::tempdir()?;
        let marker = "WITNESS-STATEMENT-Ҷамшед-Раҳимов ".as_bytes();
        let plain = marker.repeat(200_000 / marker.len());
        let info = write_blob(&key(), ITEM, plain.as_slice(), dir.path(), MIB).await?;
        let sealed = std::fs::read(&info.path)?;
        assert!(!sealed.windows(marker.len()).any(|w| w == marker), "the marker must not appear in clear");
        assert!(!sealed.windows(8).any(|w| w == &marker[..8]), "not even its first bytes");
        Ok(())
    }

    #[tokio::test]
    async fn missing_file_is_missing_not_corrupt() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = blob_path(dir.path(), ITEM)?;
        assert!(matches!(verify_blob(&key(), ITEM, &path).await, Err(BlobError::Missing(p)) if p == path));
        assert!(matches!(open_blob(&key(), ITEM, &path).await, Err(BlobError::Missing(_))));
        Ok(())
    }

    #[tokio::test]
    async fn path_traversal_item_id_is_refused() -> TestResult {
        let root = tempfile::tempdir()?;
        let dir = root.path().join("evidence");
        std::fs::create_dir(&dir)?;
        let long = "a".repeat(65);
        let bad = ["../escape", "..", ".", "", "a/b", "/tmp/x", "a\0b", "a.b", "é", " a", long.as_str()];
        for id in bad {
            let result = write_blob(&key(), id, &b"x"[..], &dir, MIB).await;
            assert!(matches!(result, Err(BlobError::BadItemId)), "{id:?}: {result:?}");
            assert!(matches!(BlobWriter::create(&key(), id, &dir, MIB).await, Err(BlobError::BadItemId)));
        }
        assert!(names(&dir)?.is_empty());
        assert_eq!(names(root.path())?, ["evidence"]);
        Ok(())
    }

    #[tokio::test]
    async fn existing_blob_is_never_overwritten() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let first = write_blob(&key, ITEM, &b"original"[..], dir.path(), MIB).await?;
        let again = write_blob(&key, ITEM, &b"replacement"[..], dir.path(), MIB).await;
        assert!(matches!(again, Err(BlobError::Exists)), "{again:?}");
        assert_eq!(read_all(&key, ITEM, &first.path).await?, b"original");
        assert_eq!(names(dir.path())?, [format!("{ITEM}.blob")]);
        Ok(())
    }

    #[tokio::test]
    async fn racing_writers_for_one_item_never_overwrite() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = key();
        let mut a = BlobWriter::create(&key, ITEM, dir.path(), MIB).await?;
        let mut b = BlobWriter::create(&key, ITEM, dir.path(), MIB).await?;
        a.write(b"first").await?;
        b.write(b"second").await?;
        let a = a.finish().await?;
        assert!(matches!(b.finish().await, Err(BlobError::Exists)));
        assert_eq!(read_all(&key, ITEM, &a.path).await?, b"first");
        assert_eq!(names(dir.path())?, [format!("{ITEM}.blob")], "the loser's temporary file is gone");
        Ok(())
    }

    #[tokio::test]
    async fn debug_reveals_no_key_and_no_content() -> TestResult {
        let dir = tempfile::tempdir()?;
        let key = BlobKey::new(&DataKey::from_bytes([0xab; 32]));
        assert_eq!(format!("{key:?}"), "BlobKey(<secret>)");
        let mut writer = BlobWriter::create(&key, ITEM, dir.path(), MIB).await?;
        writer.write(b"SECRET-HEAD of a statement").await?;
        assert!(!format!("{writer:?}").contains("SECRET"));
        let info = writer.finish().await?;
        assert!(!format!("{info:?}").contains("SECRET"));
        assert!(format!("{info:?}").contains("<26 bytes>"));
        let reader = open_blob(&key, ITEM, &info.path).await?;
        assert!(!format!("{reader:?}").contains("SECRET"));
        Ok(())
    }
}
