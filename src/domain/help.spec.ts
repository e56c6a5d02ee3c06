import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DirectoryView, validateDirectory } from './directory';
import { helpFor } from './help';

const dir = () => {
  const v = validateDirectory(JSON.parse(readFileSync(path.join(__dirname, '../../examples/directory.json'), 'utf8')));
  if (!v.ok) throw new Error('examples/directory.json is not valid');
  return new DirectoryView(v.directory);
};

describe('help', () => {
  it('tells a chief officer when the digest comes, in words ("on Mondays at 08:00", not a day code)', () => {
    const d = dir();
    const ann = d.personByEmail('ann.ross@council.example')!;
    const lines = helpFor(ann, d).join('\n');
    expect(lines).toContain('You receive the weekly digest here: Perth and Kinross on Mondays at 08:00.');
    expect(lines).not.toMatch(/\b(MON|TUE|WED|THU|FRI|SAT|SUN)\b/);
  });
});
