export default {
  newChat: '+ New chat',
  untitled: 'New chat',
  search: 'Search chats',
  searchLabel: 'Search chats by title and content',
  noMatch: 'No chat matches this search.',
  empty: 'No chats yet.',
  delete: 'Delete',
  keep: 'Keep',
  rename: 'Rename',
  renameLabel: 'Rename chat',
  deleteLabel: 'Delete chat',
} as const
