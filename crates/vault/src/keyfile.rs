//! The key file: the instance's data key, wrapped (XChaCha20-Poly1305) by a key-encryption key
//! derived from the passphrase with Argon2id. The file is small JSON so an operator can see what it
//! is; it holds nothing readable without the passphrase. The Argon2 parameters are bound to the
//! ciphertext as associated data, so weakening them in the file breaks the unwrap instead of
//! silently lowering the cost of guessing.
//!
//! Changing the passphrase rewraps the same data key: the database is never re-encrypted.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::keys::DataKey;
use crate::{VaultError, random_bytes};

/// The shortest passphrase accepted for a new instance or a passphrase change.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

const FORMAT: &str = "ozodi-keyfile";
const VERSION: u32 = 1;

/// Argon2id cost parameters for deriving the key-encryption key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Iterations.
    pub t_cost: u32,
    /// Parallelism.
    pub p_cost: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 passes, 1 lane: about a quarter of a second here, paid once per unseal, and
    /// costly for anyone guessing passphrases on a seized key file.
    fn default() -> Self {
        KdfParams { m_cost_kib: 64 * 1024, t_cost: 3, p_cost: 1 }
    }
}

#[derive(Serialize, Deserialize)]
struct KdfSection {
    algorithm: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct WrapSection {
    algorithm: String,
    nonce: String,
    ciphertext: String,
}

/// A parsed key file.
#[derive(Serialize, Deserialize)]
pub struct KeyFile {
    format: String,
    version: u32,
    kdf: KdfSection,
    wrap: WrapSection,
}

impl std::fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyFile").field("version", &self.version).field("kdf", &self.kdf.params).finish()
    }
}

fn check_passphrase(passphrase: &str) -> Result<(), VaultError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(VaultError::PassphraseTooShort(MIN_PASSPHRASE_CHARS));
    }
    Ok(())
}

fn aad(params: &KdfParams) -> Vec<u8> {
    format!("{FORMAT} v{VERSION} argon2id m={} t={} p={}", params.m_cost_kib, params.t_cost, params.p_cost)
        .into_bytes()
}

fn derive_kek(passphrase: &str, salt: &[u8], params: &KdfParams) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    let p = Params::new(params.m_cost_kib, params.t_cost, params.p_cost, Some(32))
        .map_err(|e| VaultError::Kdf(e.to_string()))?;
    let mut kek = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(passphrase.as_bytes(), salt, kek.as_mut())
        .map_err(|e| VaultError::Kdf(e.to_string()))?;
    Ok(kek)
}

impl KeyFile {
    /// Generates a new data key and wraps it under `passphrase`.
    pub fn create(passphrase: &str, params: KdfParams) -> Result<(KeyFile, DataKey), VaultError> {
        check_passphrase(passphrase)?;
        let key = DataKey::generate()?;
        let file = KeyFile::wrap(&key, passphrase, params)?;
        Ok((file, key))
    }

    fn wrap(key: &DataKey, passphrase: &str, params: KdfParams) -> Result<KeyFile, VaultError> {
        let mut salt = [0u8; 16];
        random_bytes(&mut salt)?;
        let mut nonce = [0u8; 24];
        random_bytes(&mut nonce)?;
        let kek = derive_kek(passphrase, &salt, &params)?;
        let cipher = XChaCha20Poly1305::new(&(*kek).into());
        let aad = aad(&params);
        let ciphertext = cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: key.expose(), aad: &aad })
            .map_err(|_| VaultError::Kdf("encryption failed".into()))?;
        Ok(KeyFile {
            format: FORMAT.into(),
            version: VERSION,
            kdf: KdfSection { algorithm: "argon2id".into(), params, salt: hex::encode(salt) },
            wrap: WrapSection {
                algorithm: "xchacha20poly1305".into(),
                nonce: hex::encode(nonce),
                ciphertext: hex::encode(ciphertext),
            },
        })
    }

    /// Unwraps the data key. A wrong passphrase and a tampered file look the same: both fail the
    /// authentication tag, and both are reported as [`VaultError::WrongPassphrase`].
    pub fn unwrap_key(&self, passphrase: &str) -> Result<DataKey, VaultError> {
        let damaged =
            |reason: &str| VaultError::KeyFileDamaged { path: PathBuf::new(), reason: reason.into() };
        let salt = hex::decode(&self.kdf.salt).map_err(|_| damaged("salt is not hex"))?;
        let nonce: [u8; 24] = hex::decode(&self.wrap.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or_else(|| damaged("nonce is not 24 bytes of hex"))?;
        let ciphertext = hex::decode(&self.wrap.ciphertext).map_err(|_| damaged("ciphertext is not hex"))?;
        let kek = derive_kek(passphrase, &salt, &self.kdf.params)?;
        let cipher = XChaCha20Poly1305::new(&(*kek).into());
        let plain = Zeroizing::new(
            cipher
                .decrypt(&XNonce::from(nonce), Payload { msg: &ciphertext, aad: &aad(&self.kdf.params) })
                .map_err(|_| VaultError::WrongPassphrase)?,
        );
        let bytes: [u8; 32] =
            plain.as_slice().try_into().map_err(|_| damaged("wrapped key has the wrong length"))?;
        Ok(DataKey::from_bytes(bytes))
    }

    /// Wraps the same data key under a new passphrase (with a fresh salt and nonce).
    pub fn rewrap(&self, old: &str, new: &str) -> Result<KeyFile, VaultError> {
        check_passphrase(new)?;
        let key = self.unwrap_key(old)?;
        KeyFile::wrap(&key, new, self.kdf.params)
    }

    /// Reads and parses a key file; a missing file and a damaged one are told apart.
    pub fn read(path: &Path) -> Result<KeyFile, VaultError> {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(VaultError::KeyFileMissing(path.to_owned()));
            }
            Err(e) => return Err(VaultError::Io { path: path.to_owned(), source: e }),
        };
        KeyFile::parse(&text, path)
    }

    /// Parses a key file's text (read from `origin`, which error messages name: a path on disk,
    /// or a backup archive that carries the key file in its header).
    pub fn parse(text: &str, origin: &Path) -> Result<KeyFile, VaultError> {
        let damaged = |reason: String| VaultError::KeyFileDamaged { path: origin.to_owned(), reason };
        let file: KeyFile =
            serde_json::from_str(text).map_err(|e| damaged(format!("not valid JSON ({e})")))?;
        if file.format != FORMAT || file.version != VERSION {
            return Err(damaged(format!("unknown format {:?} version {}", file.format, file.version)));
        }
        if file.kdf.algorithm != "argon2id" || file.wrap.algorithm != "xchacha20poly1305" {
            return Err(damaged("unknown algorithm".into()));
        }
        Ok(file)
    }

    /// Writes the key file atomically (temporary file, fsync, rename, fsync of the directory) with
    /// owner-only permissions. With `replace == false` an existing file is never overwritten.
    pub fn write(&self, path: &Path, replace: bool) -> Result<(), VaultError> {
        let io = |source| VaultError::Io { path: path.to_owned(), source };
        let text = serde_json::to_string_pretty(self).map_err(|e| io(std::io::Error::other(e)))?;
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let tmp = dir.join(".key.json.tmp");
        let mut f =
            OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp).map_err(io)?;
        f.write_all(text.as_bytes()).map_err(io)?;
        f.write_all(b"\n").map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        if replace {
            fs::rename(&tmp, path).map_err(io)?;
        } else {
            // A hard link fails if the target exists, with no window between check and write.
            let linked = fs::hard_link(&tmp, path);
            let _ = fs::remove_file(&tmp);
            linked.map_err(io)?;
        }
        File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> KdfParams {
        KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 }
    }

    #[test]
    fn wraps_and_unwraps_the_same_key() -> Result<(), VaultError> {
        let (file, key) = KeyFile::create("correct horse battery", fast())?;
        let again = file.unwrap_key("correct horse battery")?;
        assert_eq!(key.expose(), again.expose());
        Ok(())
    }

    #[test]
    fn wrong_passphrase_fails_closed() -> Result<(), VaultError> {
        let (file, _) = KeyFile::create("correct horse battery", fast())?;
        assert!(matches!(file.unwrap_key("correct horse batterY"), Err(VaultError::WrongPassphrase)));
        Ok(())
    }

    #[test]
    fn rewrap_keeps_the_key_and_retires_the_old_passphrase() -> Result<(), VaultError> {
        let (file, key) = KeyFile::create("first passphrase!", fast())?;
        let new = file.rewrap("first passphrase!", "second passphrase")?;
        assert_eq!(new.unwrap_key("second passphrase")?.expose(), key.expose());
        assert!(matches!(new.unwrap_key("first passphrase!"), Err(VaultError::WrongPassphrase)));
        assert!(matches!(
            file.rewrap("wrong one here", "third passphrase"),
            Err(VaultError::WrongPassphrase)
        ));
        assert!(matches!(file.rewrap("first passphrase!", "short"), Err(VaultError::PassphraseTooShort(_))));
        Ok(())
    }

    #[test]
    fn weakened_parameters_break_the_unwrap() -> Result<(), VaultError> {
        let (mut file, _) = KeyFile::create("correct horse battery", fast())?;
        file.kdf.params.t_cost = 2;
        assert!(matches!(file.unwrap_key("correct horse battery"), Err(VaultError::WrongPassphrase)));
        Ok(())
    }

    #[test]
    fn write_read_round_trip_with_owner_only_permissions() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("key.json");
        let (file, key) = KeyFile::create("correct horse battery", fast())?;
        file.write(&path, false)?;
        assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
        assert!(file.write(&path, false).is_err(), "must refuse to overwrite");
        let read = KeyFile::read(&path)?;
        assert_eq!(read.unwrap_key("correct horse battery")?.expose(), key.expose());
        let text = fs::read_to_string(&path)?;
        assert!(!text.contains(&hex::encode(key.expose())), "the data key must never be stored in clear");
        Ok(())
    }

    #[test]
    fn missing_and_damaged_files_are_told_apart() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("key.json");
        assert!(matches!(KeyFile::read(&path), Err(VaultError::KeyFileMissing(_))));
        fs::write(&path, "{ not json")?;
        assert!(matches!(KeyFile::read(&path), Err(VaultError::KeyFileDamaged { .. })));
        fs::write(&path, r#"{"format":"other","version":1}"#)?;
        assert!(matches!(KeyFile::read(&path), Err(VaultError::KeyFileDamaged { .. })));
        Ok(())
    }
}
