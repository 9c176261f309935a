//! The npm package's files besides the wasm: wasm-bindgen's glue for each target under its own
//! name, the TypeScript declarations (no `any`), the Node.js ES-module entry and package.json.

use std::path::Path;

use crate::files::{read_text, write};
use crate::Result;

/// Writes the package's glue, declarations, package.json and README into `package` from
/// wasm-bindgen's output for each target in `staging/<target>/`.
pub fn write_glue(staging: &Path, package: &Path) -> Result {
    let glue = |target: &str, file: &str| read_text(&staging.join(target).join(file));
    let self_types = "/* @ts-self-types=\"./laureate.d.ts\" */";
    let retype = |text: String, to: &str| -> Result<String> {
        match text.matches(self_types).count() {
            1 => Ok(text.replace(self_types, to)),
            n => Err(format!("expected one `{self_types}` in wasm-bindgen's glue, found {n}")),
        }
    };
    // Every declaration file imports and re-exports the request and answer types generated from
    // the core (`cargo test -p laureate-core --features ts --test typescript` keeps that file
    // current); wasm-bindgen's own raw-export types get `unknown` for its `any`.
    let types = glue("web", "laureate.d.ts")?;
    if !types.contains(TYPES_IMPORT) {
        return Err(format!("wasm-bindgen's laureate.d.ts does not import `{TYPES_IMPORT}` (wasm/src/js.rs)"));
    }
    write(&package.join(TYPES_FILE), read_text(&Path::new("wasm/types").join(TYPES_FILE))?)?;
    let glue_types = |target: &str, file: &str| glue(target, file).map(|text| no_any(&text));
    write(&package.join("web.js"), retype(glue("web", "laureate.js")?, "/* @ts-self-types=\"./web.d.ts\" */")?)?;
    write(&package.join("web.d.ts"), glue_types("web", "laureate.d.ts")?)?;
    write(
        &package.join("bundler.js"),
        retype(glue("bundler", "laureate.js")?, "/* @ts-self-types=\"./bundler.d.ts\" */")?,
    )?;
    write(&package.join("laureate_bg.js"), glue("bundler", "laureate_bg.js")?)?;
    write(&package.join("bundler.d.ts"), glue_types("bundler", "laureate.d.ts")?)?;
    let node_cjs = retype(glue("nodejs", "laureate.js")?, "// wasm-bindgen's Node.js build; import `./node.js`")?;
    write(&package.join("node.js"), node_entry(&node_cjs)?)?;
    write(&package.join("node.cjs"), node_cjs)?;
    write(&package.join("node.d.ts"), format!("{}{NODE_INIT_TYPES}", glue_types("nodejs", "laureate.d.ts")?))?;
    write(&package.join("laureate_bg.wasm.d.ts"), glue_types("web", "laureate_bg.wasm.d.ts")?)?;
    for file in [TYPES_FILE, "web.d.ts", "bundler.d.ts", "node.d.ts", "laureate_bg.wasm.d.ts"] {
        if let Some(line) = any_line(&read_text(&package.join(file))?) {
            return Err(format!("{file} uses `any`, which the package's types never do: `{}`", line.trim()));
        }
    }
    write(&package.join("package.json"), package_json())?;
    write(&package.join("README.md"), read_text(Path::new("wasm/README.md"))?)?;
    Ok(())
}

/// The request and answer types generated from the core, shipped beside the declarations.
const TYPES_FILE: &str = "laureate-types.d.ts";
/// How wasm/src/js.rs's declarations import them.
const TYPES_IMPORT: &str = "from \"./laureate-types.js\"";

/// wasm-bindgen's declarations with `unknown` for its `any` (the raw exports' `externref`
/// parameters, `(a: any) => …`): the same for a caller, and nothing in the package is `any`.
fn no_any(declarations: &str) -> String {
    declarations.replace(": any", ": unknown")
}

/// The first line of TypeScript `declarations` that names the type `any` (comments aside).
fn any_line(declarations: &str) -> Option<&str> {
    declarations.lines().find(|line| {
        let code = line.trim_start();
        !code.starts_with("//")
            && !code.starts_with('*')
            && !code.starts_with("/*")
            && code.split(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '$').any(|word| word == "any")
    })
}

/// The Node.js entry point: an ES module over wasm-bindgen's CommonJS build, re-exporting every
/// name that build exports, plus a no-op `init` so code written for the web build runs as is.
fn node_entry(node_cjs: &str) -> Result<String> {
    let names: Vec<&str> = node_cjs
        .lines()
        .filter_map(|line| line.strip_prefix("exports.")?.split_once(" = ").map(|(name, _)| name))
        .collect();
    if names.is_empty() {
        return Err("found no `exports.NAME = ` line in wasm-bindgen's Node.js glue".into());
    }
    Ok(format!(
        "// The Node.js entry point of `laureate`: an ES module over wasm-bindgen's CommonJS build,\n\
         // which loads laureate_bg.wasm synchronously when imported.\n\
         import laureate from \"./node.cjs\";\n\n\
         export const {{ {} }} = laureate;\n\n\
         /** Nothing to do in Node.js (the module is ready when imported); kept so that code written\n * \
         for the web build (`await init()`) runs unchanged. */\n\
         export default async function init() {{}}\n\n\
         /** See `init`. */\n\
         export function initSync() {{}}\n",
        names.join(", ")
    ))
}

const NODE_INIT_TYPES: &str = "
/** Nothing to do in Node.js (the module is ready when imported); kept so that code written for the web build runs unchanged. */
export default function init(): Promise<void>;
/** See `init`. */
export function initSync(): void;
";

fn package_json() -> String {
    let version = env!("CARGO_PKG_VERSION");
    format!(
        r#"{{
  "name": "laureate",
  "version": "{version}",
  "description": "Laureate's rules engine for learning achievements and certifications, as one WebAssembly module for browsers, bundlers and Node.js",
  "license": "Apache-2.0",
  "type": "module",
  "exports": {{
    ".": {{
      "node": {{ "types": "./node.d.ts", "default": "./node.js" }},
      "browser": {{ "types": "./web.d.ts", "default": "./web.js" }},
      "default": {{ "types": "./web.d.ts", "default": "./web.js" }}
    }},
    "./web": {{ "types": "./web.d.ts", "default": "./web.js" }},
    "./node": {{ "types": "./node.d.ts", "default": "./node.js" }},
    "./bundler": {{ "types": "./bundler.d.ts", "default": "./bundler.js" }},
    "./laureate_bg.wasm": "./laureate_bg.wasm",
    "./laureate_bg.wasm.sha256": "./laureate_bg.wasm.sha256",
    "./package.json": "./package.json"
  }},
  "types": "./web.d.ts",
  "files": [
    "laureate_bg.wasm",
    "laureate_bg.wasm.sha256",
    "laureate_bg.wasm.d.ts",
    "laureate_bg.js",
    "laureate-types.d.ts",
    "web.js",
    "web.d.ts",
    "node.js",
    "node.cjs",
    "node.d.ts",
    "bundler.js",
    "bundler.d.ts",
    "README.md"
  ],
  "sideEffects": ["./node.js", "./node.cjs", "./bundler.js"],
  "engines": {{ "node": ">=20" }}
}}
"#
    )
}
