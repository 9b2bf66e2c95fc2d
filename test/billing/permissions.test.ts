import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/billing/actors.ts';
import { isBillingAdmin, type PlatformRoles } from '../../src/billing/permissions.ts';

function actor(platform: Actor['platform'], userId: string): Actor {
  return { platform, userId, userName: null };
}

const admin: PlatformRoles = { isPlatformAdmin: true, isGuest: false };
const member: PlatformRoles = { isPlatformAdmin: false, isGuest: false };
const guest: PlatformRoles = { isPlatformAdmin: false, isGuest: true };
const guestAdmin: PlatformRoles = { isPlatformAdmin: true, isGuest: true };

describe('isBillingAdmin', () => {
  it.each([
    ['a platform admin', true, actor('slack', 'U1'), admin, []],
    ['a guest who is also platform admin', false, actor('slack', 'U1'), guestAdmin, []],
    ['a guest listed in the extra ids', false, actor('slack', 'U1'), guest, ['slack:U1']],
    [
      'a member listed as slack:U1, acting on Slack',
      true,
      actor('slack', 'U1'),
      member,
      ['slack:U1'],
    ],
    [
      'Discord user U1 when slack:U1 is listed',
      false,
      actor('discord', 'U1'),
      member,
      ['slack:U1'],
    ],
    [
      'a console user listed as console:local',
      true,
      actor('console', 'local'),
      member,
      ['console:local'],
    ],
    ['a listed user whose roles are unknown', false, actor('slack', 'U1'), null, ['slack:U1']],
    ['anyone whose roles are unknown', false, actor('slack', 'U1'), null, []],
    ['a plain member', false, actor('slack', 'U2'), member, ['slack:U1']],
    ['a member with no extra ids configured', false, actor('discord', '123'), member, []],
  ])('%s: billing admin is %s', (_case, expectedAdmin, who, roles, extraAdminIds) => {
    expect(isBillingAdmin(who, roles, extraAdminIds)).toBe(expectedAdmin);
  });
});
