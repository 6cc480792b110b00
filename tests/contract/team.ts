import { expect } from 'vitest';
import { type Account, type Owned, registered, seedKb, type World } from './world.ts';

export type Role = 'owner' | 'editor' | 'viewer';

/** A KB of alice's with one of everything, and the session tokens of each role on it (bob is no member). */
export interface Team {
  kb: Owned;
  tokens: Record<Role | 'outsider', string>;
}

export interface TeamMaker {
  /** The same people take their roles in every KB made: `member` is the one member routes address. */
  people: Record<'editor' | 'viewer' | 'member' | 'outsider', Account>;
  /** A fresh KB with its editor and viewer. */
  seed(): Promise<Team>;
}

/** Registers the team's people once; `prefix` keeps their KBs apart from the world's. */
export async function teamMaker(w: World, prefix: string): Promise<TeamMaker> {
  const people = {
    editor: await registered(w.api, `${prefix}.editor@contract.example`),
    viewer: await registered(w.api, `${prefix}.viewer@contract.example`),
    member: await registered(w.api, `${prefix}.member@contract.example`),
    outsider: await registered(w.api, `${prefix}.outsider@contract.example`),
  };
  let made = 0;
  const alice = { token: w.alice.token, userId: w.alice.userId, email: w.alice.email };
  return {
    people,
    async seed() {
      const kb = await seedKb(w.api, alice, `${prefix}${++made}`, {
        member: people.member,
        outsiderEmail: people.outsider.email,
      });
      for (const role of ['editor', 'viewer'] as const) {
        const added = await w.api.call('POST', `/api/kbs/${kb.kbId}/members`, {
          token: w.alice.token,
          body: { email: people[role].email, role },
        });
        expect(added.status, added.text).toBe(201);
      }
      const tokens = { owner: w.alice.token, editor: people.editor.token, viewer: people.viewer.token };
      return { kb, tokens: { ...tokens, outsider: w.bob.token } };
    },
  };
}
