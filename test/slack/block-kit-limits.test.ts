// Slack refuses a whole view or message when one field is over its limit (`invalid_blocks`,
// `invalid_arguments`), so the worst case we can build is checked against each documented limit.
import type {
  ActionsBlock,
  AnyBlock,
  HeaderBlock,
  InputBlock,
  KnownBlock,
  ModalView,
  PlainTextInput,
  PlainTextOption,
  SectionBlock,
  StaticSelect,
} from '@slack/types';
import { describe, expect, it } from 'vitest';
import { listCountries } from '../../src/billing/country.ts';
import { type BillingProfileFields, PROFILE_FIELDS } from '../../src/billing/profile.ts';
import { profileFields } from '../../src/commands/info.ts';
import type { Reply } from '../../src/commands/types.ts';
import { profileModal, readProfileOrigin } from '../../src/slack/profile-modal.ts';
import { escapeMrkdwn, toSlackMessage } from '../../src/slack/render.ts';

const inputBlocks = (blocks: AnyBlock[]) =>
  blocks.filter((block): block is InputBlock => block.type === 'input');

const sections = (blocks: KnownBlock[]) =>
  blocks.filter((block): block is SectionBlock => block.type === 'section');

/** Every field as long as the form allows, the country as a select stores it. */
function longestProfile(): Record<string, string> {
  return Object.fromEntries(
    PROFILE_FIELDS.map((field) => [
      field.key,
      field.key === 'country' ? 'DE' : 'É'.repeat(field.maxLength),
    ]),
  );
}

/** A response_url of Slack's shape, padded far beyond the ~100 characters Slack sends. */
const longResponseUrl = (length: number) => {
  const base = 'https://hooks.slack.com/commands/T0TESTTEAM/1234567890123/';
  return base + 'a'.repeat(length - base.length);
};

describe('profileModal within Slack limits', () => {
  const view: ModalView = profileModal(longestProfile(), {
    responseUrl: longResponseUrl(2_000),
    channelId: 'C0GENERAL',
  });
  const countrySelect = inputBlocks(view.blocks)
    .map((block) => block.element)
    .find((element): element is StaticSelect => element.type === 'static_select');
  const countryOptions = (countrySelect?.option_groups ?? []).flatMap((group) => group.options);

  it('keeps the title, the buttons and the block count within the modal limits', () => {
    // Modal view: title, submit and close at most 24 characters, at most 100 blocks
    // (docs.slack.dev/reference/views/modal-views).
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit?.text.length).toBeLessThanOrEqual(24);
    expect(view.close?.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('keeps a long response_url in private_metadata, and drops one that cannot fit', () => {
    // private_metadata: at most 3,000 characters (docs.slack.dev/reference/views/modal-views).
    expect(view.private_metadata?.length).toBeLessThanOrEqual(3_000);
    expect(readProfileOrigin(view.private_metadata).responseUrl).toBe(longResponseUrl(2_000));

    const tooLong = profileModal({}, { responseUrl: longResponseUrl(3_500), channelId: null });
    expect(tooLong.private_metadata?.length).toBeLessThanOrEqual(3_000);
    expect(readProfileOrigin(tooLong.private_metadata)).toEqual({
      responseUrl: null,
      channelId: null,
    });
  });

  it('sizes every text input within Slack limits and prefills it whole', () => {
    const textInputs = inputBlocks(view.blocks)
      .map((block) => block.element)
      .filter((element): element is PlainTextInput => element.type === 'plain_text_input');

    expect(textInputs).toHaveLength(PROFILE_FIELDS.length - 1);
    for (const input of textInputs) {
      // plain_text_input max_length: 1 to 3,000 (docs.slack.dev, plain-text input element).
      expect(input.max_length).toBeGreaterThanOrEqual(1);
      expect(input.max_length).toBeLessThanOrEqual(3_000);
      expect(input.initial_value?.length).toBe(input.max_length);
    }
  });

  it('keeps every label and hint within 2,000 characters', () => {
    for (const block of inputBlocks(view.blocks)) {
      // Input block: label and hint text at most 2,000 characters each (docs.slack.dev).
      expect(block.label.text.length).toBeLessThanOrEqual(2_000);
      expect(block.hint?.text.length ?? 0).toBeLessThanOrEqual(2_000);
    }
  });

  it('offers every country once, in groups and options within the select limits', () => {
    const groups = countrySelect?.option_groups ?? [];

    // option_groups: at most 100 groups of at most 100 options, each label at most 75 characters
    // (docs.slack.dev, option group object).
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.length).toBeLessThanOrEqual(100);
    for (const group of groups) {
      expect(group.options.length).toBeLessThanOrEqual(100);
      expect(group.label.text.length).toBeLessThanOrEqual(75);
    }
    // Option object: text at most 75 characters, value at most 150 (docs.slack.dev, option
    // object; @slack/types still documents 75 for the value, and our codes have 2).
    for (const option of countryOptions) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.value?.length).toBeLessThanOrEqual(75);
    }

    const values = countryOptions.map((option) => option.value).sort();
    expect(values).toHaveLength(250);
    expect(new Set(values).size).toBe(250);
    expect(values).toEqual(
      listCountries()
        .map((country) => country.code)
        .sort(),
    );
  });

  it('preselects the stored country with an option that is in the menu', () => {
    // initial_option must match one of the options exactly, or Slack refuses the view.
    const germany: PlainTextOption = { text: { type: 'plain_text', text: 'Germany' }, value: 'DE' };

    expect(countrySelect?.initial_option).toEqual(germany);
    expect(countryOptions).toContainEqual(countrySelect?.initial_option);
  });
});

const legalName = '<!here> & <https://evil.example|click>';

/** A `/billing history` reply with ten rows whose descriptions are 500 characters. */
function longHistory(): Reply {
  const rows = Array.from({ length: 10 }, (_, index) => [
    `2026-12-0${index % 9} 19:55 UTC`,
    `Usage: ${'compute hours on cluster eu-west '.repeat(16).slice(0, 500)}`,
    '-$1,234.56',
    'Ada Admin',
  ]);
  return {
    outcome: 'ok',
    text: 'Latest 10 ledger entries',
    blocks: [
      { type: 'heading', text: 'Latest 10 ledger entries' },
      { type: 'table', columns: ['When', 'What', 'Amount', 'Who'], rows },
    ],
  };
}

/** Beyond anything a command builds: every kind of block past its limit. */
function oversizedReply(): Reply {
  return {
    outcome: 'ok',
    text: 'x'.repeat(5_000),
    blocks: [
      { type: 'heading', text: 'H'.repeat(200) },
      { type: 'text', text: 'T'.repeat(4_000) },
      {
        type: 'fields',
        fields: Array.from({ length: 12 }, (_, index) => ({
          label: `Field ${index}`,
          value: 'V'.repeat(2_500),
        })),
      },
      { type: 'actions', actions: [{ id: 'edit-profile', label: 'B'.repeat(100) }] },
      {
        type: 'table',
        columns: ['When', 'What', 'Amount', 'Who'],
        rows: Array.from({ length: 60 }, () => ['now', 'W'.repeat(3_500), '$1.00', 'Ada']),
      },
    ],
  };
}

function expectWithinMessageLimits(blocks: KnownBlock[]) {
  // Messages: at most 50 blocks (docs.slack.dev/block-kit).
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const block of sections(blocks)) {
    // Section block: text at most 3,000 characters; at most 10 fields of at most 2,000 each
    // (docs.slack.dev, section block).
    expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3_000);
    expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
    for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2_000);
  }
  for (const block of blocks.filter((b): b is HeaderBlock => b.type === 'header')) {
    // Header block: text at most 150 characters (docs.slack.dev, header block).
    expect(block.text.text.length).toBeLessThanOrEqual(150);
  }
  for (const block of blocks.filter((b): b is ActionsBlock => b.type === 'actions')) {
    for (const element of block.elements) {
      // Button element: text at most 75 characters (docs.slack.dev, button element).
      if (element.type === 'button') expect(element.text.text.length).toBeLessThanOrEqual(75);
    }
  }
}

describe('toSlackMessage within Slack limits', () => {
  it('renders ten long history rows whole, one section each', () => {
    const { blocks } = toSlackMessage(longHistory());

    expect(blocks).toHaveLength(11);
    expectWithinMessageLimits(blocks);
    for (const block of sections(blocks)) expect(block.text?.text).not.toContain('…');
  });

  it('cuts anything longer to the limits instead of failing the message', () => {
    const message = toSlackMessage(oversizedReply());

    expectWithinMessageLimits(message.blocks);
    expect(message.blocks).toHaveLength(50);
    expect(message.text.length).toBeLessThanOrEqual(3_000);
  });
});

describe('escapeMrkdwn', () => {
  it('escapes the three characters Slack reads as markup', () => {
    expect(escapeMrkdwn(legalName)).toBe('&lt;!here&gt; &amp; &lt;https://evil.example|click&gt;');
  });

  it('lets no legal name ping a channel or make a link, wherever it is shown', () => {
    const profile: BillingProfileFields = {
      legalName,
      addressLine1: 'Hauptstraße 5',
      addressLine2: null,
      city: 'Berlin',
      region: null,
      postalCode: '10115',
      country: 'DE',
      taxId: 'DE123456789',
    };
    const reply: Reply = {
      outcome: 'ok',
      // The fallback text is mrkdwn too: Slack shows it in notifications.
      text: `Billing details of ${legalName}`,
      blocks: [
        { type: 'heading', text: 'Billing details' },
        { type: 'fields', fields: profileFields(profile) },
        { type: 'text', text: `Saved by ${legalName}` },
        {
          type: 'table',
          columns: ['When', 'What', 'Amount', 'Who'],
          rows: [['2026-12-03 19:55 UTC', `Top-up: ${legalName}`, '+$25.00', legalName]],
        },
      ],
    };

    const json = JSON.stringify(toSlackMessage(reply));

    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<https');
    expect(json).toContain('&lt;!here&gt; &amp; &lt;https://evil.example|click&gt;');
  });
});
