//! ozodi-media: working copies without metadata (DOMAIN.md section 7.6: keep original metadata,
//! strip it from working copies). A photo sent through the web report may carry where and when it was taken and
//! with which phone, which can identify the sender; staff work on the copy made here, and the
//! original stays untouched beside it as evidence.
//!
//! JPEG: every APPn segment goes except the JFIF header, an ICC colour profile and the Adobe colour
//! marker (EXIF, XMP, IPTC, maker notes, MPF with its extra images, comments all go), and nothing
//! after the end-of-image marker is kept (where MPF thumbnails and trailers live). PNG: text,
//! EXIF and time chunks go. Other types get no working copy; staff see that the original may carry
//! metadata.

use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;

/// A copy of `original` (of type `mime`) without metadata, or `None` when this type cannot be
/// cleaned or the file does not parse.
pub fn working_copy(mime: &str, original: &[u8]) -> Option<Vec<u8>> {
    match mime {
        "image/jpeg" => jpeg(original),
        "image/png" => png(original),
        _ => None,
    }
}

fn keep_jpeg_segment(marker: u8, contents: &[u8]) -> bool {
    match marker {
        markers::APP0 => contents.starts_with(b"JFIF\0"),
        markers::APP2 => contents.starts_with(b"ICC_PROFILE\0"),
        markers::APP14 => contents.starts_with(b"Adobe"),
        markers::APP1..=markers::APP15 | markers::COM => false,
        _ => true,
    }
}

fn jpeg(original: &[u8]) -> Option<Vec<u8>> {
    let mut image = Jpeg::from_bytes(Bytes::copy_from_slice(original)).ok()?;
    image.segments_mut().retain(|s| keep_jpeg_segment(s.marker(), s.contents()));
    let out = image.encoder().bytes().to_vec();
    // The scan data runs to the end-of-image marker; anything after it is not part of the image.
    // 0xFF 0xD9 cannot occur inside entropy-coded data (0xFF is stuffed as 0xFF 0x00).
    let sos = out.windows(2).position(|w| w == [0xFF, markers::SOS])?;
    let eoi = out[sos..].windows(2).position(|w| w == [0xFF, markers::EOI])? + sos + 2;
    Some(out[..eoi].to_vec())
}

fn png(original: &[u8]) -> Option<Vec<u8>> {
    let mut image = Png::from_bytes(Bytes::copy_from_slice(original)).ok()?;
    for kind in [*b"tEXt", *b"zTXt", *b"iTXt", *b"eXIf", *b"tIME"] {
        image.remove_chunks_by_type(kind);
    }
    Some(image.encoder().bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny JPEG with JFIF, an EXIF segment holding `marker`, a comment holding it too, a scan,
    /// and an MPF-style trailer after the end of the image that holds it a third time.
    fn jpeg_with(marker: &str) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        let segment = |b: &mut Vec<u8>, m: u8, contents: &[u8]| {
            b.extend([0xFF, m]);
            b.extend(u16::try_from(contents.len() + 2).unwrap_or(u16::MAX).to_be_bytes());
            b.extend(contents);
        };
        segment(&mut b, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        segment(&mut b, 0xE1, &[b"Exif\0\0".as_slice(), marker.as_bytes()].concat());
        segment(&mut b, 0xFE, marker.as_bytes());
        segment(&mut b, 0xDB, &[0u8; 65]);
        segment(&mut b, 0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
        segment(&mut b, 0xDA, &[1, 1, 0, 0, 0x3F, 0]);
        b.extend([0x12, 0x34, 0xFF, 0x00, 0x56]);
        b.extend([0xFF, 0xD9]);
        b.extend(marker.as_bytes());
        b
    }

    #[test]
    fn a_jpeg_loses_exif_comments_and_trailers_and_keeps_its_image() {
        let original = jpeg_with("Marker-GPS-39.6N-67.1E");
        let copy = working_copy("image/jpeg", &original).unwrap_or_default();
        let has = |b: &[u8]| b.windows(6).any(|w| w == b"Marker");
        assert!(has(&original));
        assert!(!copy.is_empty() && !has(&copy), "metadata left in the working copy");
        assert!(copy.starts_with(&[0xFF, 0xD8]) && copy.ends_with(&[0xFF, 0xD9]));
        assert!(copy.windows(5).any(|w| w == b"JFIF\0"), "the JFIF header is part of the image");
        assert!(copy.windows(5).any(|w| w == [0x12, 0x34, 0xFF, 0x00, 0x56]), "the scan data is kept");
    }

    #[test]
    fn a_png_loses_its_text_chunks() {
        // PNG's CRC-32 (ISO-HDLC) over the chunk type and data.
        let crc = |bytes: &[u8]| {
            let mut c = 0xFFFF_FFFFu32;
            for b in bytes {
                c ^= u32::from(*b);
                for _ in 0..8 {
                    c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
                }
            }
            !c
        };
        let chunk = |kind: &[u8; 4], data: &[u8]| {
            let mut c = u32::try_from(data.len()).unwrap_or(0).to_be_bytes().to_vec();
            c.extend(kind);
            c.extend(data);
            c.extend(crc(&[kind.as_slice(), data].concat()).to_be_bytes());
            c
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        png.extend(chunk(b"tEXt", b"Author\0Marker-Name"));
        png.extend(chunk(b"IDAT", &[0x78, 0x9C, 0x63, 0, 0, 0, 2, 0, 1]));
        png.extend(chunk(b"IEND", &[]));
        let copy = working_copy("image/png", &png).unwrap_or_default();
        assert!(!copy.is_empty());
        assert!(!copy.windows(6).any(|w| w == b"Marker"));
        assert!(copy.windows(4).any(|w| w == b"IDAT"));
    }

    #[test]
    fn other_types_and_broken_files_get_no_working_copy() {
        assert_eq!(working_copy("application/pdf", b"%PDF-1.4"), None);
        assert_eq!(working_copy("image/jpeg", &[0xFF, 0xD8, 0xFF]), None);
    }
}
