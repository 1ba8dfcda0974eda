import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CloudFormationOptions, scanCloudFormationFile } from '../../../src/input/cloudformation/index.js';
import type { ReadResult } from '../../../src/input/read.js';
import type { SourceFile } from '../../../src/model/source-file.js';
import type { Model, Rule } from '../../../src/model/model.js';
import { type Peer, describePeer } from '../../../src/model/peer.js';
import { describePorts } from '../../../src/model/ports.js';
import { protocolName } from '../../../src/model/protocol.js';

export const FIXTURES = join(import.meta.dirname, '../../../fixtures/cloudformation');

export function scanFixture(name: string, options: CloudFormationOptions = {}): Model | null {
  const abs = join(FIXTURES, name);
  return scanCloudFormationFile({ abs, path: `fixtures/cloudformation/${name}` }, readFileSync(abs, 'utf8'), options);
}

export function scanText(text: string, path = 'inline.yaml', options: CloudFormationOptions = {}): Model | null {
  return scanCloudFormationFile({ abs: `/tmp/${path}`, path }, text, options);
}

/** Own rendering for group peers, so these tests pin the attribute that was referenced (`AppSG.GroupId`). */
function peerText(peer: Peer): string {
  if (peer.kind === 'securityGroup') return peer.self ? 'self' : `members of ${String(peer.ref)}`;
  return describePeer(peer);
}

/** One line per rule: "id group direction protocol ports peer @line-endLine". */
export function summarize(rule: Rule): string {
  const l = rule.location;
  return `${rule.id} ${rule.group} ${rule.direction} ${protocolName(rule.protocol)} ${describePorts(rule.ports)} ${peerText(rule.peer)} @${l.line}-${l.endLine}`;
}

export function rulesOf(model: Model | null): string[] {
  if (!model) throw new Error('not a template');
  return model.rules.map(summarize);
}

/** A synchronous reader for nested templates, with readSource's UTF-8 guard (the pipeline wires the real one). */
export function readForTest(file: SourceFile): ReadResult {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file.abs)) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    return { ok: false, error: { file: file.path, message: code ? `cannot read file (${code})` : 'not valid UTF-8' } };
  }
}
