//! Sealing of directory client secrets: ChaCha20-Poly1305 under the installation's secret key,
//! so a copy of the database alone does not reveal them. The key comes from the setting
//! `SERVICES_HUB_SECRET_KEY` (32 bytes as 64 hex digits or base64) or, when that is unset, from
//! a key file made once (mode 0600) beside the database (README, "Secret key").

use base64::{engine::general_purpose::STANDARD, Engine as _};
use chacha20poly1305::{
    aead::{Aead, AeadCore, KeyInit, OsRng},
    ChaCha20Poly1305, Key, Nonce,
};

/// Seals `plain`; the text stored is `v1:` + base64(nonce ‖ ciphertext). `context` (the
/// connection's domain id) is bound as associated data, so a sealed secret copied onto another
/// row does not open.
pub fn seal(key: &[u8; 32], context: &str, plain: &str) -> Result<String, String> {
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(
            &nonce,
            chacha20poly1305::aead::Payload {
                msg: plain.as_bytes(),
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| "sealing failed".to_owned())?;
    let mut bytes = nonce.to_vec();
    bytes.extend_from_slice(&sealed);
    Ok(format!("v1:{}", STANDARD.encode(bytes)))
}

/// Opens what `seal` made; a wrong key or a changed row is an error, never garbage.
pub fn open(key: &[u8; 32], context: &str, stored: &str) -> Result<String, String> {
    let bytes = stored
        .strip_prefix("v1:")
        .and_then(|b| STANDARD.decode(b).ok())
        .filter(|b| b.len() > 12)
        .ok_or_else(|| "not a sealed secret".to_owned())?;
    let (nonce, sealed) = bytes.split_at(12);
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let plain = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            chacha20poly1305::aead::Payload {
                msg: sealed,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| "the secret does not open with this server's key".to_owned())?;
    String::from_utf8(plain).map_err(|_| "not text".to_owned())
}

/// A key written as 64 hex digits or as base64 of 32 bytes.
pub fn parse_key(text: &str) -> Result<[u8; 32], String> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|e| e.to_string())?
    } else {
        STANDARD.decode(text).map_err(|_| {
            "SERVICES_HUB_SECRET_KEY must be 32 bytes as 64 hex digits or base64".to_owned()
        })?
    };
    bytes
        .try_into()
        .map_err(|_| "SERVICES_HUB_SECRET_KEY must be exactly 32 bytes".to_owned())
}

/// The installation's key: the setting when given, else the key file beside the SQLite database
/// (`data/secret.key` for PostgreSQL), created with a random key on first start, readable by
/// the server's user only.
pub fn load_or_create(setting: Option<&str>, database_url: &str) -> Result<[u8; 32], String> {
    if let Some(text) = setting.filter(|t| !t.trim().is_empty()) {
        return parse_key(text);
    }
    let folder = database_url
        .strip_prefix("sqlite://")
        .map(|path| path.split('?').next().unwrap_or_default())
        .and_then(|path| std::path::Path::new(path).parent().map(|p| p.to_path_buf()))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::PathBuf::from("data"));
    let file = folder.join("secret.key");
    match std::fs::read_to_string(&file) {
        Ok(text) => parse_key(&text).map_err(|e| format!("{}: {e}", file.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key: [u8; 32] = rand::random();
            let text: String = key.iter().map(|b| format!("{b:02x}")).collect();
            std::fs::create_dir_all(&folder)
                .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
            write_private(&file, &text)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            Ok(key)
        }
        Err(e) => Err(format!("cannot read {}: {e}", file.display())),
    }
}

fn write_private(file: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    // create_new: two servers starting at once never overwrite each other's key.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(file)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_row() {
        let key = [7u8; 32];
        let sealed = seal(&key, "1", "s3cret").unwrap();
        assert!(!sealed.contains("s3cret"));
        assert_eq!(open(&key, "1", &sealed).unwrap(), "s3cret");
        assert!(open(&[8u8; 32], "1", &sealed).is_err());
        assert!(open(&key, "2", &sealed).is_err());
    }

    #[test]
    fn keys_are_hex_or_base64_of_32_bytes() {
        assert_eq!(parse_key(&"ab".repeat(32)).unwrap(), [0xab; 32]);
        assert_eq!(parse_key(&STANDARD.encode([1u8; 32])).unwrap(), [1; 32]);
        assert!(parse_key("short").is_err());
    }
}
