export default {
  session: {
    label: 'Session',
    noneChosen: 'Write below to start a chat, or choose a session above.',
  },
  legend: {
    label: 'Colour legend',
    byRank: 'Colour: frequency rank',
    frequent: 'frequent',
    rare: 'rare',
    byColumn: 'Colour: {{column}}',
    more: '… and {{count}} more',
    selected: 'chosen words',
    neighbours: 'nearest neighbours',
    analogyFrom: 'b → a',
    analogyTo: 'c → answer',
  },
} as const
