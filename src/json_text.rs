//! A JSON value kept as JSON text in the build cache, whose binary format (postcard)
//! cannot read a value that says its own type (`serde_json::Value`): for
//! `#[serde(with = "crate::json_text")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer, de::DeserializeOwned};

pub(crate) fn serialize<T: Serialize, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    serde_json::to_string(value)
        .map_err(serde::ser::Error::custom)?
        .serialize(s)
}

pub(crate) fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    let text = String::deserialize(d)?;
    serde_json::from_str(&text).map_err(serde::de::Error::custom)
}
