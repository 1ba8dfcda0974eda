import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';

/** The Jenkins xUnit plugin's JUnit schema (schemas/third-party/README.md says where it comes from). */
export const JUNIT_XSD = 'schemas/third-party/junit-10.xsd';

/**
 * Validate JUnit documents against the XSD with libxml2 (xmllint compiled to WebAssembly: offline, no
 * native build). One xmllint run for all of them; returns each document's problems (empty when valid),
 * well-formedness errors included.
 */
export async function validateJunit(docs: Record<string, string>): Promise<Record<string, string[]>> {
  const names = Object.keys(docs);
  const result = await validateXML({
    xml: names.map((fileName) => ({ fileName, contents: docs[fileName]! })),
    schema: [{ fileName: 'junit-10.xsd', contents: readFileSync(JUNIT_XSD, 'utf8') }],
  });
  const problems: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const e of result.errors) {
    const file = e.loc?.fileName;
    if (file !== undefined && file in problems) problems[file]!.push(e.rawMessage);
    else for (const n of names) problems[n]!.push(e.rawMessage);
  }
  // xmllint's exit status is the ground truth: never report "valid" when it said otherwise.
  if (!result.valid && names.every((n) => problems[n]!.length === 0)) {
    for (const n of names) problems[n]!.push(result.rawOutput || 'invalid');
  }
  return problems;
}
