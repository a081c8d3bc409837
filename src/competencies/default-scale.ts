import type { PolicyInputDto, ScaleInputDto } from './dto/framework.dto';

/**
 * The five-level scale of docs/domain.md#competency-levels-and-policies (1 Nhận biết … 5 Dẫn dắt, proficient from 4 "Thành thạo"):
 * the scale of the demo chair framework and the one a framework imported without a scale gets
 * (an IMS CASE package carries none), unless the request names another.
 */
export const DEFAULT_SCALE: ScaleInputDto = {
  proficientLevel: 4,
  levels: [
    {
      level: 1,
      nameVi: 'Nhận biết',
      nameEn: 'Aware',
      descriptionVi: 'Biết khái niệm cơ bản, cần hướng dẫn.',
      descriptionEn: 'Knows the basic ideas; needs guidance.',
    },
    {
      level: 2,
      nameVi: 'Hiểu',
      nameEn: 'Understands',
      descriptionVi: 'Hiểu và giải thích được; làm được việc đơn giản khi có hỗ trợ.',
      descriptionEn: 'Understands and explains; does simple tasks with support.',
    },
    {
      level: 3,
      nameVi: 'Vận dụng',
      nameEn: 'Applies',
      descriptionVi: 'Tự làm được trong tình huống thường gặp.',
      descriptionEn: 'Works independently in common situations.',
    },
    {
      level: 4,
      nameVi: 'Thành thạo',
      nameEn: 'Proficient',
      descriptionVi: 'Xử lý tốt cả tình huống phức tạp.',
      descriptionEn: 'Handles complex situations well.',
    },
    {
      level: 5,
      nameVi: 'Dẫn dắt',
      nameEn: 'Leads others',
      descriptionVi: 'Hướng dẫn, truyền đạt cho người khác; đổi mới cách làm.',
      descriptionEn: 'Coaches others and improves how the work is done.',
    },
  ],
};

/**
 * What a union's organisation department would choose: a supervisor's or hr's assessment first,
 * then evidence from courses and assessments, the cadre's own view only where nothing else is
 * valid (docs/domain.md#competency-levels-and-policies: supervisor over self). The latest rating would let any newer course result
 * override hr, and the highest would keep a one-off good day for years. The demo framework's
 * policy and the default of an import that names none.
 */
export const DEFAULT_POLICY: PolicyInputDto = { kind: 'supervisor_over_self' };
