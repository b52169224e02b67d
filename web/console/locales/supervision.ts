import type { Catalogue } from './widen.ts';

/** Strings of the supervision pages (catalogue key `supervision`). */
export const zh = {
  title: '督查督办',
  subtitle: '辖区内超期、红灯、多次退回、群众不满意和督办中的事项，一键催办、督办；专项任务按颜色定期催办',
  tabs: {
    red: '红灯事项',
    tasks: '专项任务',
  },
  actions: {
    chase: '催办',
    flag: '督办',
    open: '办理',
    chased: '已催办 {{number}}',
    flagged: '已督办 {{number}}',
    refused: '{{number}}：{{reason}}',
  },
  flag: {
    title: '督办 {{number}}',
    hint: '督办后事项亮红灯，承办单位和主办部门会收到通知。',
    note: '督办意见',
    placeholder: '例如：群众反映强烈，请本周内办结并反馈',
    required: '请填写督办意见',
    submit: '督办',
  },
  task: {
    colour: '{{number}} 的颜色',
    colourSet: '{{number}} 已改为{{colour}}',
    nextChase: '下次催办 {{time}}',
    noChase: '暂无定期催办',
    cadence: '专项任务按颜色定期自动催办：红灯每周、黄灯每两周、绿灯每月；改颜色后从今天重新计算。',
  },
};

export const en: Catalogue<typeof zh> = {
  title: 'Supervision',
  subtitle:
    'Overdue, red, twice-returned, dissatisfied and supervised cases in your area: chase or flag in one click; task-force items are chased by colour',
  tabs: {
    red: 'Red cases',
    tasks: 'Task-force items',
  },
  actions: {
    chase: 'Chase',
    flag: 'Supervise',
    open: 'Handle',
    chased: 'Chased {{number}}',
    flagged: '{{number}} is under supervision',
    refused: '{{number}}: {{reason}}',
  },
  flag: {
    title: 'Supervise {{number}}',
    hint: 'A supervised case turns red; its owning unit and lead department are notified.',
    note: 'Supervision note',
    placeholder: 'e.g. Residents are upset: resolve and report back this week',
    required: 'Write a supervision note',
    submit: 'Supervise',
  },
  task: {
    colour: 'Colour of {{number}}',
    colourSet: '{{number}} is now {{colour}}',
    nextChase: 'Next chase {{time}}',
    noChase: 'No scheduled chase',
    cadence:
      'Task-force items are chased automatically by colour: red weekly, orange fortnightly, green monthly; a new colour restarts the count from today.',
  },
};
