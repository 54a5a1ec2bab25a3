//! Backup archives: one file holding a whole instance, encrypted as a single authenticated stream.
//!
//! # File format, version 1
//!
//! ```text
//! header   "OZBACKUP" | version u8 = 1 | key file length u32 BE | key file (JSON, as in key.json)
//!          | archive id (16 random bytes) | nonce prefix (19 random bytes)
//! chunk 0  ciphertext of 65536 plaintext bytes + 16-byte Poly1305 tag
//! ...
//! chunk n  ciphertext of 0..=65536 plaintext bytes + 16-byte tag   (the last chunk)
//! ```
//!
//! The key file travels in clear in the header because it is already protected (the data key
//! inside is wrapped under the passphrase with Argon2id): with it, the passphrase alone opens the
//! archive on a new machine. Everything else (the databases, the evidence files and the manifest
//! with its counts and hashes) is inside the stream, under the backup subkey of the data key, in
//! the same XChaCha20-Poly1305 STREAM construction as evidence files (see `blob`). Every chunk's
//! associated data is the whole header, so the key file and archive id cannot be swapped; cutting,
//! reordering or editing anything fails authentication, and cutting at a chunk boundary fails
//! because no chunk there carried the last flag.
//!
//! Unlike an evidence file, the stream may end with an empty last chunk (a bare tag): the writer
//! does not know the length in advance. The reader hands out plaintext only after its chunk is
//! authenticated; a consumer must still treat an error at any point as the failure of the whole
//! archive, since truncation is only detected at the end.

use std::fmt;
use std::io::{self, Read, Write};

use aead_stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::KeyInit;
use zeroize::Zeroizing;

use crate::keys::{DataKey, SubKey, SubKeyPurpose};

const MAGIC: &[u8; 8] = b"OZBACKUP";
const VERSION: u8 = 1;
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const SEALED_CHUNK: usize = CHUNK + TAG;
const ID: usize = 16;
const PREFIX: usize = 19;
/// A key file is a few hundred bytes; anything far larger is not an archive of ours.
const MAX_KEY_FILE: u32 = 64 * 1024;

type Encryptor = EncryptorBE32<XChaCha20Poly1305>;
type Decryptor = DecryptorBE32<XChaCha20Poly1305>;

/// The key of backup archives, derived from the instance's data key.
pub struct ArchiveKey(SubKey);

impl ArchiveKey {
    /// The archive key of the instance whose data key is `key`.
    pub fn new(key: &DataKey) -> Self {
        ArchiveKey(key.derive(SubKeyPurpose::Backup))
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&(*self.0.expose()).into())
    }
}

impl fmt::Debug for ArchiveKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ArchiveKey(<secret>)")
    }
}

/// An archive's clear header: the key file that opens it and the archive's identity.
#[derive(Clone)]
pub struct ArchiveHeader {
    raw: Vec<u8>,
    key_file_len: usize,
}

impl fmt::Debug for ArchiveHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArchiveHeader").field("id", &hex::encode(self.id())).finish_non_exhaustive()
    }
}

impl ArchiveHeader {
    const FIXED: usize = MAGIC.len() + 1 + 4;

    /// The key file (JSON) carried in the header.
    pub fn key_file(&self) -> &[u8] {
        &self.raw[Self::FIXED..Self::FIXED + self.key_file_len]
    }

    /// The archive's random id (names it in logs without saying anything of its content).
    pub fn id(&self) -> &[u8] {
        let start = Self::FIXED + self.key_file_len;
        &self.raw[start..start + ID]
    }

    fn prefix(&self) -> [u8; PREFIX] {
        let start = Self::FIXED + self.key_file_len + ID;
        let mut p = [0u8; PREFIX];
        p.copy_from_slice(&self.raw[start..start + PREFIX]);
        p
    }

    /// Reads the header from the start of an archive. `Ok(None)`: not an ozodi backup archive
    /// (or one of an unknown version, or cut inside its header).
    pub fn read(input: &mut impl Read) -> io::Result<Option<ArchiveHeader>> {
        let mut fixed = [0u8; Self::FIXED];
        if !read_full(input, &mut fixed)? || fixed[..8] != MAGIC[..] || fixed[8] != VERSION {
            return Ok(None);
        }
        let len = u32::from_be_bytes([fixed[9], fixed[10], fixed[11], fixed[12]]);
        if len == 0 || len > MAX_KEY_FILE {
            return Ok(None);
        }
        let key_file_len = len as usize;
        let mut raw = fixed.to_vec();
        raw.resize(Self::FIXED + key_file_len + ID + PREFIX, 0);
        if !read_full(input, &mut raw[Self::FIXED..])? {
            return Ok(None);
        }
        Ok(Some(ArchiveHeader { raw, key_file_len }))
    }
}

/// Fills `buf` completely; `Ok(false)` if the input ended first.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<bool> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => return Ok(false),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Encrypts everything written to it into an archive on `out`. Call [`ArchiveWriter::finish`]:
/// an archive dropped unfinished has no last chunk and never opens.
pub struct ArchiveWriter<W: Write> {
    out: W,
    encryptor: Option<Encryptor>,
    aad: Vec<u8>,
    pending: Zeroizing<Vec<u8>>,
}

impl<W: Write> fmt::Debug for ArchiveWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArchiveWriter").finish_non_exhaustive()
    }
}

impl<W: Write> ArchiveWriter<W> {
    /// Writes the header (with `key_file`, the instance's key file as stored) and starts the
    /// encrypted stream.
    pub fn new(mut out: W, key: &ArchiveKey, key_file: &[u8]) -> io::Result<Self> {
        let len = u32::try_from(key_file.len()).ok().filter(|l| (1..=MAX_KEY_FILE).contains(l)).ok_or_else(
            || io::Error::new(io::ErrorKind::InvalidInput, "the key file has an impossible size"),
        )?;
        let mut id = [0u8; ID];
        let mut prefix = [0u8; PREFIX];
        crate::random_bytes(&mut id).map_err(io::Error::other)?;
        crate::random_bytes(&mut prefix).map_err(io::Error::other)?;
        let mut header = Vec::with_capacity(ArchiveHeader::FIXED + key_file.len() + ID + PREFIX);
        header.extend_from_slice(MAGIC);
        header.push(VERSION);
        header.extend_from_slice(&len.to_be_bytes());
        header.extend_from_slice(key_file);
        header.extend_from_slice(&id);
        header.extend_from_slice(&prefix);
        out.write_all(&header)?;
        Ok(ArchiveWriter {
            out,
            encryptor: Some(Encryptor::from_aead(key.cipher(), &prefix.into())),
            aad: header,
            pending: Zeroizing::new(Vec::with_capacity(SEALED_CHUNK)),
        })
    }

    fn seal_full_chunks(&mut self) -> io::Result<()> {
        while self.pending.len() >= CHUNK {
            let rest = self.pending.split_off(CHUNK);
            let mut chunk = Zeroizing::new(std::mem::replace(&mut *self.pending, rest));
            let encryptor = self.encryptor.as_mut().ok_or_else(finished)?;
            encryptor.encrypt_next_in_place(&self.aad, &mut *chunk).map_err(|_| sealing())?;
            self.out.write_all(&chunk)?;
        }
        Ok(())
    }

    /// Seals the last chunk and flushes; returns the output (for the caller to sync).
    pub fn finish(mut self) -> io::Result<W> {
        self.seal_full_chunks()?;
        let encryptor = self.encryptor.take().ok_or_else(finished)?;
        let mut last = Zeroizing::new(std::mem::take(&mut *self.pending));
        encryptor.encrypt_last_in_place(&self.aad, &mut *last).map_err(|_| sealing())?;
        self.out.write_all(&last)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn finished() -> io::Error {
    io::Error::other("the archive is already finished")
}

fn sealing() -> io::Error {
    io::Error::other("encrypting an archive chunk failed")
}

impl<W: Write> Write for ArchiveWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.encryptor.is_none() {
            return Err(finished());
        }
        self.pending.extend_from_slice(buf);
        self.seal_full_chunks()?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Decrypts an archive's stream. A damaged, altered or cut archive gives an error of kind
/// [`io::ErrorKind::InvalidData`] (see [`is_damage`]) at the chunk where it is noticed.
pub struct ArchiveReader<R: Read> {
    input: R,
    decryptor: Option<Decryptor>,
    aad: Vec<u8>,
    lookahead: Option<u8>,
    plain: Zeroizing<Vec<u8>>,
    pos: usize,
    failed: bool,
}

impl<R: Read> fmt::Debug for ArchiveReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArchiveReader").finish_non_exhaustive()
    }
}

const DAMAGE: &str = "the backup archive is damaged or was altered (authentication failed)";

fn damaged() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, DAMAGE)
}

/// Whether `e` (from an [`ArchiveReader`], possibly passed through a parser) means the archive
/// failed authentication rather than that reading the file failed.
pub fn is_damage(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::InvalidData && e.to_string() == DAMAGE
}

impl<R: Read> ArchiveReader<R> {
    /// Reads the stream that follows `header` (already read from `input`).
    pub fn new(input: R, header: &ArchiveHeader, key: &ArchiveKey) -> Self {
        ArchiveReader {
            input,
            decryptor: Some(Decryptor::from_aead(key.cipher(), &header.prefix().into())),
            aad: header.raw.clone(),
            lookahead: None,
            plain: Zeroizing::new(Vec::new()),
            pos: 0,
            failed: false,
        }
    }

    /// Opens the next chunk into `plain`. `Ok(false)` once the last chunk was read.
    fn next_chunk(&mut self) -> io::Result<bool> {
        let Some(mut decryptor) = self.decryptor.take() else { return Ok(false) };
        let mut buf = Zeroizing::new(Vec::with_capacity(SEALED_CHUNK + 1));
        buf.extend(self.lookahead.take());
        let mut filled = buf.len();
        buf.resize(SEALED_CHUNK + 1, 0);
        while filled < buf.len() {
            match self.input.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        buf.truncate(filled);
        if buf.len() > SEALED_CHUNK {
            self.lookahead = buf.pop();
            decryptor.decrypt_next_in_place(&self.aad, &mut *buf).map_err(|_| damaged())?;
            self.decryptor = Some(decryptor);
        } else {
            if buf.len() < TAG {
                return Err(damaged());
            }
            decryptor.decrypt_last_in_place(&self.aad, &mut *buf).map_err(|_| damaged())?;
        }
        self.plain = buf;
        self.pos = 0;
        Ok(true)
    }
}

impl<R: Read> Read for ArchiveReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.failed {
            return Err(damaged());
        }
        while self.pos == self.plain.len() {
            match self.next_chunk() {
                Ok(true) => {}
                Ok(false) => return Ok(0),
                Err(e) => {
                    self.failed = true;
                    return Err(e);
                }
            }
        }
        let n = out.len().min(self.plain.len() - self.pos);
        out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const KEY_FILE: &[u8] = br#"{"format":"ozodi-key","wrapped":"..."}"#;

    fn key() -> ArchiveKey {
        ArchiveKey::new(&DataKey::from_bytes([9; 32]))
    }

    fn data(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 251) as u8).collect()
    }

    fn seal(plain: &[u8]) -> io::Result<Vec<u8>> {
        let mut writer = ArchiveWriter::new(Vec::new(), &key(), KEY_FILE)?;
        for piece in plain.chunks(10_000) {
            writer.write_all(piece)?;
        }
        writer.finish()
    }

    fn open(sealed: &[u8], key: &ArchiveKey) -> io::Result<(ArchiveHeader, Vec<u8>)> {
        let mut input = sealed;
        let header = ArchiveHeader::read(&mut input)?.ok_or_else(|| io::Error::other("no header"))?;
        let mut out = Vec::new();
        ArchiveReader::new(input, &header, key).read_to_end(&mut out)?;
        Ok((header, out))
    }

    fn assert_damaged(sealed: &[u8], what: &str) {
        match open(sealed, &key()) {
            Err(e) if is_damage(&e) => {}
            other => panic!("{what}: expected damage, got {:?}", other.map(|(_, p)| p.len())),
        }
    }

    #[test]
    fn round_trips_at_chunk_boundaries_and_carries_the_key_file() -> TestResult {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17] {
            let plain = data(len);
            let sealed = seal(&plain)?;
            let (header, opened) = open(&sealed, &key())?;
            assert_eq!(opened, plain, "{len} bytes");
            assert_eq!(header.key_file(), KEY_FILE);
            assert_eq!(header.id().len(), ID);
        }
        Ok(())
    }

    #[test]
    fn nothing_of_the_content_is_in_clear() -> TestResult {
        let plain = b"V-0042 Rustamov beaten at ROVD ".repeat(5000);
        let sealed = seal(&plain)?;
        assert!(!sealed.windows(8).any(|w| w == b"Rustamov"));
        Ok(())
    }

    #[test]
    fn every_kind_of_tampering_is_detected() -> TestResult {
        let plain = data(2 * CHUNK + 500);
        let sealed = seal(&plain)?;
        let body = sealed.len() - (2 * SEALED_CHUNK + 500 + TAG);
        // A flipped bit in each chunk, and in the header's key file and id.
        for at in [body + 10, body + SEALED_CHUNK + 10, sealed.len() - 1, 20, body - 20] {
            let mut bad = sealed.clone();
            bad[at] ^= 1;
            assert_damaged(&bad, &format!("bit flipped at {at}"));
        }
        // Cut at a chunk boundary, inside a chunk, and extended.
        assert_damaged(&sealed[..body + SEALED_CHUNK], "cut at a chunk boundary");
        assert_damaged(&sealed[..sealed.len() - 3], "cut inside the last chunk");
        let mut longer = sealed.clone();
        longer.extend_from_slice(&[0; 40]);
        assert_damaged(&longer, "bytes after the end");
        // Chunks swapped.
        let mut swapped = sealed[..body].to_vec();
        swapped.extend_from_slice(&sealed[body + SEALED_CHUNK..body + 2 * SEALED_CHUNK]);
        swapped.extend_from_slice(&sealed[body..body + SEALED_CHUNK]);
        swapped.extend_from_slice(&sealed[body + 2 * SEALED_CHUNK..]);
        assert_damaged(&swapped, "chunks swapped");
        // Another instance's key.
        let other = ArchiveKey::new(&DataKey::from_bytes([10; 32]));
        assert!(open(&sealed, &other).is_err_and(|e| is_damage(&e)), "another key");
        Ok(())
    }

    #[test]
    fn foreign_files_are_not_taken_for_archives() -> TestResult {
        for bytes in
            [&b""[..], b"SQLite format 3\0", b"OZBACKUP\x02\0\0\0\x10", b"OZBACKUP\x01\xff\xff\xff\xff"]
        {
            let mut input = bytes;
            assert!(ArchiveHeader::read(&mut input)?.is_none(), "{bytes:?}");
        }
        let sealed = seal(b"x")?;
        let mut cut = &sealed[..30];
        assert!(ArchiveHeader::read(&mut cut)?.is_none(), "cut inside the header");
        Ok(())
    }

    #[test]
    fn debug_reveals_nothing() {
        assert_eq!(format!("{:?}", key()), "ArchiveKey(<secret>)");
    }
}
