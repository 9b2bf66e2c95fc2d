import { ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { PROFILE_FIELDS } from '../../src/billing/profile.ts';
import { FORM_PARTS, profileModal, readProfileModalId } from '../../src/discord/profile-modals.ts';
import { BILLING_COMMANDS } from '../../src/discord/slash-command.ts';

describe('the two billing-details modals', () => {
  it('ask every profile field exactly once, at most five per modal', () => {
    const asked = [...FORM_PARTS[1], ...FORM_PARTS[2]];

    expect([...asked].sort()).toEqual(PROFILE_FIELDS.map((field) => field.key).sort());
    expect(profileModal(1, {}, null).components).toHaveLength(5);
    expect(profileModal(2, {}, null).components).toHaveLength(3);
  });

  it('are prefilled, labelled within Discord limits, and require what every country needs', () => {
    const modal = profileModal(1, { legalName: 'Ada Ltd', country: 'DE' }, null);
    const inputs = modal.components.map((component) => {
      if (component.type !== ComponentType.Label) throw new Error('expected labels');
      return { label: component.label, description: component.description, ...component.component };
    });

    expect(modal.title).toBe('Billing details (1 of 2)');
    expect(
      inputs.map((input) => [input.custom_id, 'value' in input ? input.value : undefined]),
    ).toEqual([
      ['legalName', 'Ada Ltd'],
      ['addressLine1', undefined],
      ['addressLine2', undefined],
      ['city', undefined],
      ['country', 'DE'],
    ]);
    expect(inputs.map((input) => 'required' in input && input.required)).toEqual([
      true,
      true,
      false,
      true,
      true,
    ]);
    for (const input of inputs) {
      expect(input.label.length).toBeLessThanOrEqual(45);
      expect(input.description?.length ?? 0).toBeLessThanOrEqual(100);
    }
  });

  it('carry their part and draft in the custom id, and refuse anything else', () => {
    const draftId = '0b5c3f9e-8d1a-4f3e-9c2b-7a6d5e4f3a2b';

    expect(readProfileModalId(profileModal(2, {}, draftId).custom_id)).toEqual({
      part: 2,
      draftId,
    });
    expect(readProfileModalId(profileModal(1, {}, null).custom_id)).toEqual({
      part: 1,
      draftId: null,
    });
    expect(readProfileModalId('billing:profile:3:new')).toBe(null);
    expect(readProfileModalId('billing:profile:2:../../x')).toBe(null);
  });
});

describe('the /billing command definition', () => {
  it('keeps to Discord’s naming and length rules', () => {
    const names: string[] = [];
    const visit = (option: { name: string; description: string; options?: unknown[] }) => {
      names.push(option.name);
      expect(option.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(option.description.length).toBeGreaterThan(0);
      expect(option.description.length).toBeLessThanOrEqual(100);
      expect(option.options?.length ?? 0).toBeLessThanOrEqual(25);
      for (const child of (option.options ?? []) as (typeof option)[]) visit(child);
    };
    for (const command of BILLING_COMMANDS) visit(command as Parameters<typeof visit>[0]);

    expect(names).toEqual(expect.arrayContaining(['balance', 'add', 'edit', 'alerts', 'link']));
  });
});
