import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  createStudyRequestSchema,
  nameText,
  registerBestRequestSchema,
  resumeStudyRequestSchema,
  stopStudyRequestSchema,
  studyIdParamsSchema,
  studyQuerySchema,
  tuningStudyDetailSchema,
  tuningStudyListSchema,
  tuningStudySchema,
} from '@slipway/contracts';

/** `GET /api/v1/studies/by-name/:name`: the study's name as it was created (names are unique). */
export const studyNameParamsSchema = z.object({ name: nameText(256, { min: 1 }) }).strict();

export class CreateStudyDto extends createZodDto(createStudyRequestSchema) {}
export class StopStudyDto extends createZodDto(stopStudyRequestSchema) {}
export class ResumeStudyDto extends createZodDto(resumeStudyRequestSchema) {}
export class RegisterBestDto extends createZodDto(registerBestRequestSchema) {}
export class StudyIdParamsDto extends createZodDto(studyIdParamsSchema) {}
export class StudyNameParamsDto extends createZodDto(studyNameParamsSchema) {}
export class StudyQueryDto extends createZodDto(studyQuerySchema) {}
export class TuningStudyDto extends createZodDto(tuningStudySchema) {}
export class TuningStudyDetailDto extends createZodDto(tuningStudyDetailSchema) {}
export class TuningStudyListDto extends createZodDto(tuningStudyListSchema) {}
