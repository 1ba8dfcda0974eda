import { describe, expect, it } from 'vitest';
import { scanFixture, scanText } from './helpers.js';

describe('which files are templates', () => {
  it('returns null for a GitHub workflow and a Kubernetes manifest', () => {
    expect(scanFixture('workflow.yaml')).toBeNull();
    expect(scanFixture('k8s.yaml')).toBeNull();
  });

  it('returns null for other JSON (package.json, tsconfig) and empty files', () => {
    expect(scanText('{ "name": "x", "version": "1.0.0" }', 'package.json')).toBeNull();
    expect(scanText('{ "compilerOptions": { "strict": true } }', 'tsconfig.json')).toBeNull();
    expect(scanText('', 'empty.yaml')).toBeNull();
    expect(scanText('{ broken', 'other.json')).toBeNull();
  });

  it('accepts a template without AWSTemplateFormatVersion when Resources have AWS:: types', () => {
    const model = scanText('Resources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: x }\n');
    expect(model?.groups.map((g) => g.address)).toEqual(['SG']);
  });

  it('reports a broken YAML template as a ScanError with its line', () => {
    const model = scanFixture('broken.yaml');
    expect(model?.errors).toHaveLength(1);
    expect(model?.errors[0]).toMatchObject({ file: 'fixtures/cloudformation/broken.yaml', line: 7 });
    expect(model?.errors[0].message).toMatch(/^invalid YAML: bad indentation/);
    expect(model?.groups).toEqual([]);
  });

  it('reports a broken JSON template with its line', () => {
    const model = scanText('{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "SG": { "Type": "AWS::EC2::SecurityGroup" }\n    "X": 1\n  }\n}\n', 't.json');
    expect(model?.errors).toEqual([{ file: 't.json', line: 5, message: 'invalid JSON: expected "," or "}"' }]);
  });

  it('stops a YAML alias bomb quickly with an error', () => {
    const started = performance.now();
    const model = scanFixture('alias-bomb.yaml');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(model?.errors).toHaveLength(1);
    expect(model?.errors[0].message).toMatch(/alias bomb/);
  });

  it('treats unknown YAML tags and duplicate keys as notices, not failures', () => {
    const model = scanText(
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Rain::Embed x.txt\n      GroupDescription: y\n',
    );
    expect(model?.errors).toEqual([]);
    expect(model?.groups[0].description).toBe('y');
    expect(model?.notices).toEqual([{ file: 'inline.yaml', line: 7, message: 'duplicate key "GroupDescription"; the last one is used' }]);
  });
});
