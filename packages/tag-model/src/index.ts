export {
  TAGS,
  TAG_GROUP_NAMES,
  InputsSchema,
  OutputsSchema,
  AnalogSchema,
  StatusSchema,
  CountersSchema,
  AlarmsSchema,
  BottleFillerTagsSchema,
} from './tags.js';
export type {
  TagDataType,
  TagRange,
  TagMetadata,
  TagGroupName,
  Inputs,
  Outputs,
  Analog,
  Status,
  Counters,
  Alarms,
  BottleFillerTags,
} from './tags.js';
