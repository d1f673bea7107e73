/**
 * English resources. Every string the console shows lives here and in nl.ts
 * (same keys, checked by the compiler through `Resources` and by a unit test).
 * Values inserted with {{...}} are rendered by React as text, never as markup.
 */
export const en = {
  app: {
    name: 'Webcare',
  },
  topbar: {
    accounts: 'Connected accounts',
    settings: 'Settings',
    offline: 'Offline',
    offlineHint: 'The console host has no network. Everything here keeps working; new messages arrive once it is back.',
    sandbox: 'sandbox',
    accountTitle: '{{name}} (@{{handle}}) on {{platform}}',
    accountReconnect: '{{name}} needs to be reconnected',
    noAccounts: 'No accounts connected',
  },
  connection: {
    connecting: 'Connecting to the console host…',
    closed: 'Connection to the console host lost, reconnecting…',
    unauthorized:
      'This page belongs to an earlier start of the console and can no longer reach its host. Open the new link that `npm start` printed. Messages already here stay readable.',
    open: 'Connected',
    stateLabel: 'Connection: {{state}}',
  },
  connectionShort: {
    connecting: 'Connecting…',
    open: 'Connected',
    closed: 'Disconnected',
    unauthorized: 'Link expired',
  },
  noHost: {
    title: 'Open the console through its link',
    body: 'This page was opened without its secret, so it cannot reach the console host. Open the link that `npm start` printed in the terminal.',
    example: 'It is the line that starts with “Console:” and looks like http://127.0.0.1:PORT/#s=…',
    why: 'The part after #s= is made anew at every start, so only you can open this console.',
  },
  channel: {
    x_mention: 'X mentions',
    x_dm: 'X direct messages',
    fb_comment: 'Facebook comments',
    fb_message: 'Messenger',
    x_search: 'X search',
  },
  channelBadge: {
    x_mention: 'X',
    x_dm: 'X DM',
    fb_comment: 'Facebook',
    fb_message: 'Messenger',
    x_search: 'X search',
  },
  platform: {
    x: 'X',
    facebook: 'Facebook',
  },
  board: {
    label: 'Columns',
  },
  column: {
    count_one: '{{n}} message',
    count_other: '{{n}} messages',
    loading: 'Loading…',
    error: 'This column could not be read from the local store.',
    retry: 'Try again',
    newer_one: '{{n}} new message',
    newer_other: '{{n}} new messages',
    empty: {
      x_mention: 'No mentions yet. When someone mentions your X account, it shows up here.',
      x_dm: 'No direct messages yet. Private messages to your X account show up here.',
      fb_comment: 'No comments yet. Comments on your Facebook Page show up here.',
      fb_message: 'No Messenger conversations yet. Messages to your Page show up here.',
      x_search: 'No search results yet. New posts that match this search show up here.',
    },
  },
  card: {
    fromUs: 'Sent by us',
    bidiName: 'This name contained characters that reverse the reading direction; it is shown without them.',
  },
  conversation: {
    label: 'Conversation',
    empty: 'Select a message to see the whole conversation and reply.',
    loading: 'Loading conversation…',
    gone: 'This message is no longer in the local store.',
    openOnPlatform: 'Open on {{platform}}',
    earlier_one: '{{n}} earlier message not shown',
    earlier_other: '{{n}} earlier messages not shown',
    close: 'Close conversation',
  },
  composer: {
    label: 'Reply',
    replyAs: 'Replying as',
    via: 'via {{channel}}',
    placeholder: 'Write your reply…',
    send: 'Send',
    sending: 'Sending…',
    shortcut: 'Ctrl+Enter sends',
    remaining_one: '{{n}} character left',
    remaining_other: '{{n}} characters left',
    tooMany_one: '{{n}} · {{count}} character too many',
    tooMany_other: '{{n}} · {{count}} characters too many',
    reason: {
      empty: 'Type a reply first.',
      tooLong: 'Too long for {{channel}}: at most {{limit}} characters.',
      invalid: 'The text contains characters {{platform}} does not accept.',
      noTarget: 'There is nothing to answer in this thread: every message in it was sent by us.',
      noAccount: 'The account that received this message is not connected.',
      reconnect: '{{name}} must be reconnected before you can reply.',
      offline: 'Not connected to the console host. Your text stays here; send it once the connection is back.',
    },
    sent: 'Reply sent.',
    unknownAccount: 'unknown account',
  },
  settings: {
    title: 'Settings',
    language: 'Language',
    languageSystem: 'System ({{language}})',
    languageNl: 'Nederlands',
    languageEn: 'English',
    close: 'Close',
  },
  link: {
    title: 'Opens {{host}} in your browser: {{href}}',
    realHost: 'goes to {{host}}',
  },
  error: {
    invalidInput: 'The console host refused this request ({{detail}}).',
    unknownAccount: 'The account to reply from is not connected any more.',
    reconnectNeeded: 'This account must be reconnected before it can send.',
    rateLimited: 'The platform’s rate limit is reached. Try again in a moment.',
    rateLimitedUntil: 'The platform’s rate limit is reached. You can send again at {{time}}.',
    offline: 'The console host cannot reach the platform right now. Your text is kept; try again shortly.',
    tooLong: 'Too long: at most {{limit}} characters.',
    empty: 'The reply is empty.',
    permissionMissing: 'The account lacks a permission this needs. Reconnect it and grant all requested permissions.',
    windowClosed: 'The reply window has closed: Messenger only allows replies within 24 hours of the customer’s last message.',
    duplicate: 'The platform refused this as a duplicate of an earlier post.',
    targetGone: 'The message you are answering is gone (deleted, hidden or not visible any more).',
    replyRestricted: 'X does not let this app reply here: since February 2026 apps may only reply to posts that mention or quote your account. Open the post on X to answer it there.',
    notAllowed: 'The platform does not allow this reply.',
    notConfigured: 'This is not set up in the console yet.',
    consentNeeded: 'Tokens can only be stored unencrypted with your consent.',
    sendUnknown:
      'It is not certain whether the reply was posted. Press Send again: the console checks the platform first and never posts it twice.',
    platform: 'The platform returned an error ({{detail}}).',
    platformStatus: 'The platform returned an error {{status}} ({{detail}}).',
  },
} as const;

/** The shape both languages share: the same keys, any string values. */
export type ResourceShape<T> = { readonly [K in keyof T]: T[K] extends string ? string : ResourceShape<T[K]> };
export type Resources = ResourceShape<typeof en>;
