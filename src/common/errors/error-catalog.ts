/**
 * Every stable error code the API can answer with, its HTTP status and the message people read.
 * Codes never change once published: clients branch on them. Messages may be reworded freely.
 * `{name}` placeholders are filled from the error's params.
 */
export const ERROR_CATALOG = {
  VALIDATION_FAILED: {
    status: 400,
    vi: 'Dữ liệu gửi lên không hợp lệ.',
    en: 'The request data is invalid.',
  },
  MALFORMED_JSON: {
    status: 400,
    vi: 'Nội dung yêu cầu không phải JSON hợp lệ.',
    en: 'The request body is not valid JSON.',
  },
  INVALID_CURSOR: {
    status: 400,
    vi: 'Con trỏ phân trang không hợp lệ.',
    en: 'The pagination cursor is invalid.',
  },
  INVALID_VALUE: {
    status: 400,
    vi: 'Giá trị không hợp lệ.',
    en: 'A value is invalid.',
  },
  UNAUTHENTICATED: {
    status: 401,
    vi: 'Bạn cần đăng nhập.',
    en: 'Authentication is required.',
  },
  AUTH_INVALID_CREDENTIALS: {
    status: 401,
    vi: 'Email hoặc mật khẩu không đúng, hoặc tài khoản đang tạm dừng đăng nhập do nhập sai nhiều lần.',
    en: 'Wrong email or password, or signing in is paused after too many wrong passwords.',
  },
  AUTH_ACCOUNT_DISABLED: {
    status: 401,
    vi: 'Tài khoản đã bị vô hiệu hóa.',
    en: 'The account is disabled.',
  },
  DEMO_PASSWORD_REFUSED: {
    status: 403,
    vi: 'Tài khoản còn dùng mật khẩu mẫu: quản trị viên phải đặt mật khẩu mới trước khi đăng nhập.',
    en: 'The account still has the demo password: an administrator must set a new one first.',
  },
  AUTH_REFRESH_INVALID: {
    status: 401,
    vi: 'Mã làm mới phiên không hợp lệ hoặc đã hết hạn.',
    en: 'The refresh token is invalid or expired.',
  },
  AUTH_REFRESH_REUSED: {
    status: 401,
    vi: 'Mã làm mới đã được dùng; phiên đăng nhập đã bị thu hồi vì lý do an toàn.',
    en: 'The refresh token was already used; the session has been revoked for safety.',
  },
  TOO_MANY_REQUESTS: {
    status: 429,
    vi: 'Quá nhiều yêu cầu. Vui lòng thử lại sau {seconds} giây.',
    en: 'Too many requests. Try again in {seconds} seconds.',
  },
  CSRF_INVALID: {
    status: 403,
    vi: 'Biểu mẫu đã hết hạn hoặc không gửi từ trang của hệ thống. Hãy tải lại trang và thử lại.',
    en: 'The form has expired or was not sent from this site. Reload the page and try again.',
  },
  FORBIDDEN: {
    status: 403,
    vi: 'Bạn không có quyền thực hiện thao tác này.',
    en: 'You do not have permission to do this.',
  },
  NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy.',
    en: 'Not found.',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    vi: 'Không có đường dẫn này.',
    en: 'No such route.',
  },
  ORG_UNIT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy đơn vị công đoàn.',
    en: 'Union unit not found.',
  },
  PERSON_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy cán bộ.',
    en: 'Person not found.',
  },
  ACCOUNT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy tài khoản.',
    en: 'Account not found.',
  },
  ORG_UNIT_CODE_TAKEN: {
    status: 409,
    vi: 'Mã đơn vị {code} đã tồn tại.',
    en: 'Unit code {code} is already used.',
  },
  ORG_UNIT_MOVE_CYCLE: {
    status: 422,
    vi: 'Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.',
    en: 'A unit cannot be moved under itself or one of its descendants.',
  },
  ORG_UNIT_LEVEL_INVALID: {
    status: 422,
    vi: 'Cấp {level} không thể nằm dưới cấp {parentLevel}.',
    en: 'Level {level} cannot sit under level {parentLevel}.',
  },
  ORG_UNIT_PARENT_REQUIRED: {
    status: 422,
    vi: 'Đơn vị cấp này phải có đơn vị cấp trên.',
    en: 'A unit of this level needs a parent.',
  },
  ORG_UNIT_SECTOR_INVALID: {
    status: 422,
    vi: 'Chỉ công đoàn cơ sở và đơn vị trực thuộc mới có khu vực.',
    en: 'Only grassroots units and their sub-units carry a sector.',
  },
  ORG_UNIT_HAS_ACTIVE_CHILDREN: {
    status: 409,
    vi: 'Đơn vị còn đơn vị trực thuộc đang hoạt động; hãy lưu trữ hoặc chuyển chúng trước.',
    en: 'The unit still has active sub-units; archive or move them first.',
  },
  ORG_UNIT_HAS_PEOPLE: {
    status: 409,
    vi: 'Đơn vị còn {count} cán bộ đang sinh hoạt; hãy chuyển họ sang đơn vị khác hoặc cập nhật trạng thái trước.',
    en: 'The unit still has {count} active people; move them to another unit or change their status first.',
  },
  ORG_UNIT_HAS_HOLDERS: {
    status: 409,
    vi: 'Đơn vị còn {count} người đang đảm nhiệm chức danh; hãy kết thúc các nhiệm vụ đó trước khi lưu trữ.',
    en: 'The unit still has {count} current post holders; end those appointments first.',
  },
  ORG_UNIT_ARCHIVED: {
    status: 409,
    vi: 'Đơn vị đã được lưu trữ.',
    en: 'The unit is archived.',
  },
  PERSON_NATIONAL_ID_TAKEN: {
    status: 409,
    vi: 'Số CCCD đã được dùng cho một cán bộ khác.',
    en: 'The national ID number belongs to another person.',
  },
  PERSON_BIRTH_DATE_OUT_OF_RANGE: {
    status: 422,
    vi: 'Ngày sinh phải từ {earliest} đến {latest} (cán bộ từ {minAge} đến {maxAge} tuổi).',
    en: 'The birth date must be from {earliest} to {latest} (a person aged {minAge} to {maxAge}).',
  },
  PROFILE_CHANGE_REQUEST_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy yêu cầu sửa hồ sơ.',
    en: 'Profile change request not found.',
  },
  PROFILE_CHANGE_REQUEST_NOT_PENDING: {
    status: 409,
    vi: 'Yêu cầu sửa hồ sơ đã được xử lý (trạng thái {state}), không thể thay đổi nữa.',
    en: 'The profile change request was already settled (state {state}); it can no longer change.',
  },
  ACCOUNT_EMAIL_TAKEN: {
    status: 409,
    vi: 'Email {email} đã có tài khoản.',
    en: 'Email {email} already has an account.',
  },
  ACCOUNT_ALREADY_EXISTS: {
    status: 409,
    vi: 'Cán bộ này đã có tài khoản.',
    en: 'This person already has an account.',
  },
  // Issue 15, item 4: account administration, invitations and passwords.
  ACCOUNT_PERSON_NO_EMAIL: {
    status: 422,
    vi: 'Cán bộ này chưa có địa chỉ email: hãy nhập email cho lời mời.',
    en: 'This person has no e-mail address: give one for the invitation.',
  },
  ACCOUNT_CANNOT_DEACTIVATE_SELF: {
    status: 409,
    vi: 'Quản trị viên không thể tự vô hiệu hóa tài khoản của mình.',
    en: 'An administrator cannot deactivate their own account.',
  },
  ACCOUNT_INACTIVE: {
    status: 409,
    vi: 'Tài khoản đang bị vô hiệu hóa: hãy kích hoạt lại trước.',
    en: 'The account is deactivated: reactivate it first.',
  },
  PASSWORD_POLICY: {
    status: 400,
    vi: 'Mật khẩu mới chưa đạt yêu cầu.',
    en: 'The new password does not meet the policy.',
  },
  PASSWORD_CURRENT_WRONG: {
    status: 400,
    vi: 'Mật khẩu hiện tại không đúng.',
    en: 'The current password is wrong.',
  },
  PASSWORD_TOKEN_INVALID: {
    status: 400,
    vi: 'Đường dẫn đặt mật khẩu không hợp lệ.',
    en: 'The password link is invalid.',
  },
  PASSWORD_TOKEN_USED: {
    status: 400,
    vi: 'Đường dẫn đặt mật khẩu này đã được dùng hoặc đã được thay bằng đường dẫn mới hơn.',
    en: 'This password link was already used or replaced by a newer one.',
  },
  PASSWORD_TOKEN_EXPIRED: {
    status: 400,
    vi: 'Đường dẫn đặt mật khẩu đã hết hạn: hãy yêu cầu đường dẫn mới.',
    en: 'The password link has expired: ask for a new one.',
  },
  COURSE_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy khóa học.',
    en: 'Course not found.',
  },
  COURSE_CODE_TAKEN: {
    status: 409,
    vi: 'Mã khóa học {code} đã tồn tại.',
    en: 'Course code {code} is already used.',
  },
  COURSE_LOCKED: {
    status: 409,
    vi: 'Phiên bản {versionNo} của khóa học {code} đã công bố nên không thể thay đổi; hãy tạo phiên bản mới của khóa học.',
    en: 'Version {versionNo} of course {code} is published and cannot change; create a new version of the course.',
  },
  COURSE_DRAFT_EXISTS: {
    status: 409,
    vi: 'Khóa học {code} đang có bản nháp phiên bản {versionNo}; hãy sửa bản nháp đó.',
    en: 'Course {code} already has a draft, version {versionNo}: edit that draft.',
  },
  COURSE_SUPERSEDED: {
    status: 409,
    vi: 'Phiên bản {versionNo} của khóa học {code} đã được thay bằng phiên bản mới hơn.',
    en: 'Version {versionNo} of course {code} has been replaced by a newer version.',
  },
  COURSE_RETIRED: {
    status: 409,
    vi: 'Khóa học {code} đã ngừng tổ chức nên không nhận ghi danh mới.',
    en: 'Course {code} is retired and takes no new enrolments.',
  },
  COURSE_CODE_FIXED: {
    status: 409,
    vi: 'Mã khóa học và đơn vị quản lý giữ nguyên qua các phiên bản; muốn dùng mã khác, hãy sao chép khóa học.',
    en: 'The code and owner of a course stay the same across its versions; copy the course to use another code.',
  },
  COURSE_NOT_OPEN_YET: {
    status: 409,
    vi: 'Khóa học này mở khi bạn hoàn thành khóa {code} – {title} của chương trình «{programme}».',
    en: 'This course opens when you complete {code} – {title} of the programme “{programme}”.',
  },
  COURSE_EMPTY: {
    status: 422,
    vi: 'Khóa học cần ít nhất một bài học trước khi công bố.',
    en: 'A course needs at least one lesson before it is published.',
  },
  COURSE_COMPETENCY_UNKNOWN: {
    status: 422,
    vi: 'Năng lực không thuộc phiên bản khung năng lực đã ban hành nào mà bạn được xem.',
    en: 'The competency is not part of a published framework version you can read.',
  },
  COURSE_NOT_PUBLISHED: {
    status: 409,
    vi: 'Phiên bản này của khóa học chưa được công bố nên chưa thể ghi danh hay ngừng tổ chức.',
    en: 'This version of the course is not published, so it cannot take enrolments or be retired.',
  },
  LESSON_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy bài học.',
    en: 'Lesson not found.',
  },
  LESSON_KIND_RESERVED: {
    status: 422,
    vi: 'Bài học loại kiểm tra được tạo cùng bài kiểm tra cuối khóa.',
    en: 'An assessment lesson is created together with the final assessment.',
  },
  LESSON_IS_ASSESSMENT: {
    status: 422,
    vi: 'Bài học này là bài kiểm tra cuối khóa; hãy thay hoặc xóa chính bài kiểm tra.',
    en: 'This lesson is the final assessment; replace or delete the assessment itself.',
  },
  LESSON_NOT_MANUAL: {
    status: 422,
    vi: 'Bài kiểm tra chỉ hoàn thành khi làm bài đạt yêu cầu.',
    en: 'An assessment lesson completes only by passing the assessment.',
  },
  ENROLMENT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy ghi danh.',
    en: 'Enrolment not found.',
  },
  SESSION_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy lớp học tập trung.',
    en: 'Classroom session not found.',
  },
  BOOKING_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy đăng ký lớp học.',
    en: 'Session booking not found.',
  },
  CALENDAR_FEED_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy lịch học: đường dẫn không đúng, đã được thay mới hoặc đã bị thu hồi.',
    en: 'Calendar not found: the link is wrong, was replaced or was revoked.',
  },
  SESSION_CLASH: {
    status: 409,
    vi: 'Trùng lịch: giảng viên hoặc phòng học đã được xếp cho lớp khác vào cùng thời gian.',
    en: 'Clash: an instructor or the room is already booked for another session at the same time.',
  },
  SESSION_STATUS_CONFLICT: {
    status: 409,
    vi: 'Lớp học đang ở trạng thái “{status}”, không thể thực hiện thao tác “{action}”.',
    en: 'The session is “{status}”; “{action}” cannot be done now.',
  },
  SESSION_SEATS_BELOW_BOOKED: {
    status: 409,
    vi: 'Số chỗ tối đa không được nhỏ hơn số người đã có chỗ ({booked}); hãy hủy bớt đăng ký trước.',
    en: 'The maximum seats cannot be fewer than the people already booked ({booked}); cancel bookings first.',
  },
  SESSION_DAY_ATTENDED: {
    status: 409,
    vi: 'Không thể bỏ ngày học thứ {day}: ngày này đã có điểm danh. Có thể sửa giờ học của ngày, nhưng không bỏ ngày.',
    en: 'Day {day} cannot be removed: attendance has been recorded for it. Its times can be corrected, but the day stays.',
  },
  SESSION_SIGNUP_CLOSED: {
    status: 409,
    vi: 'Lớp học hiện không nhận đăng ký (trạng thái “{status}”, thời hạn đăng ký từ {opensAt} đến {closesAt}).',
    en: 'The session takes no sign-ups now (status “{status}”, sign-up window {opensAt} to {closesAt}).',
  },
  SESSION_NOT_ENROLLED: {
    status: 409,
    vi: 'Chỉ người đã ghi danh khóa học mới được đăng ký lớp học của khóa.',
    en: 'Only people enrolled in the course may book its sessions.',
  },
  BOOKING_ALREADY_ACTIVE: {
    status: 409,
    vi: 'Mỗi người chỉ giữ một đăng ký lớp học của một khóa tại một thời điểm; hãy hủy hoặc chuyển đăng ký hiện có.',
    en: 'A person holds one session booking per course at a time; cancel or move the current one.',
  },
  BOOKING_NOT_ACTIVE: {
    status: 409,
    vi: 'Đăng ký này đã ở trạng thái “{status}”.',
    en: 'This booking is already “{status}”.',
  },
  BOOKING_CUTOFF_PASSED: {
    status: 409,
    vi: 'Đã quá hạn tự hủy đăng ký ({cutoff}); vui lòng liên hệ cán bộ đào tạo.',
    en: 'The self-cancellation deadline ({cutoff}) has passed; please ask a training officer.',
  },
  BOOKING_MOVE_INVALID: {
    status: 409,
    vi: 'Chỉ chuyển được sang một lớp khác, đang nhận đăng ký, của cùng khóa học.',
    en: 'A booking moves only to another open session of the same course.',
  },
  SESSION_DAY_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy buổi học này của lớp học.',
    en: 'This day of the session was not found.',
  },
  ATTENDANCE_NOT_BOOKED: {
    status: 422,
    vi: 'Chỉ điểm danh được người đã có chỗ trong lớp học này.',
    en: 'Only people booked on this session can be marked.',
  },
  ATTENDANCE_DAY_NOT_STARTED: {
    status: 409,
    vi: 'Chưa đến giờ điểm danh buổi học (từ {opensAt}).',
    en: 'Attendance for this day opens at {opensAt}.',
  },
  CHECK_IN_CODE_INVALID: {
    status: 422,
    vi: 'Mã điểm danh không hợp lệ.',
    en: 'The check-in code is not valid.',
  },
  CHECK_IN_CODE_EXPIRED: {
    status: 422,
    vi: 'Mã điểm danh đã hết hạn; hãy quét mã đang hiển thị tại lớp.',
    en: 'The check-in code has expired; scan the code shown in the classroom now.',
  },
  CHECK_IN_OUTSIDE_WINDOW: {
    status: 409,
    vi: 'Chỉ tự điểm danh được từ {opensAt} đến {closesAt}.',
    en: 'Self check-in is open from {opensAt} to {closesAt} only.',
  },
  CHECK_IN_NOT_BOOKED: {
    status: 409,
    vi: 'Bạn không có chỗ trong lớp học của mã điểm danh này.',
    en: 'You are not booked on the session of this check-in code.',
  },
  EXTERNAL_TRAINING_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy bản ghi đào tạo bên ngoài.',
    en: 'External training record not found.',
  },
  EXTERNAL_TRAINING_WITHDRAWN: {
    status: 409,
    vi: 'Bản ghi đào tạo bên ngoài này đã được rút lại.',
    en: 'This external training record is already withdrawn.',
  },
  EXTERNAL_TRAINING_DATES: {
    status: 422,
    vi: 'Ngày đào tạo không hợp lệ: ngày kết thúc phải từ ngày bắt đầu trở đi và không sau hôm nay; ngày bắt đầu không trước {earliest}.',
    en: 'Invalid training dates: the last day must be on or after the first and not after today; the first day not before {earliest}.',
  },
  ENROLMENT_ALREADY_COMPLETED: {
    status: 409,
    vi: 'Ghi danh này đã hoàn thành.',
    en: 'This enrolment is already completed.',
  },
  LEARNING_SELF_RECOGNITION: {
    status: 403,
    vi: 'Không thể tự công nhận hoàn thành khóa học của chính mình; cần một cán bộ khác xác nhận.',
    en: 'You cannot recognise your own learning; another officer must confirm it.',
  },
  ASSESSMENT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy bài kiểm tra.',
    en: 'Assessment not found.',
  },
  ASSESSMENT_EXISTS: {
    status: 409,
    vi: 'Khóa học đã có bài kiểm tra cuối khóa.',
    en: 'The course already has a final assessment.',
  },
  ASSESSMENT_ATTEMPTS_EXHAUSTED: {
    status: 409,
    vi: 'Bạn đã dùng hết {maxAttempts} lượt làm bài.',
    en: 'All {maxAttempts} attempts have been used.',
  },
  ASSESSMENT_ALREADY_PASSED: {
    status: 409,
    vi: 'Bạn đã đạt bài kiểm tra này.',
    en: 'You have already passed this assessment.',
  },
  ASSESSMENT_QUESTION_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy câu hỏi trong bài kiểm tra này.',
    en: 'The question is not part of this assessment.',
  },
  ATTEMPT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy lượt làm bài.',
    en: 'Attempt not found.',
  },
  ATTEMPT_CLOSED: {
    status: 409,
    vi: 'Lượt làm bài đã nộp hoặc đã hết giờ; không thể lưu thêm câu trả lời.',
    en: 'The attempt is submitted or past its deadline; answers can no longer be saved.',
  },
  ASSESSMENT_NOT_OPEN: {
    status: 409,
    vi: 'Bài kiểm tra chưa mở; mở lúc {opensAt}.',
    en: 'The assessment is not open yet; it opens at {opensAt}.',
  },
  ASSESSMENT_WINDOW_CLOSED: {
    status: 409,
    vi: 'Bài kiểm tra đã đóng; không thể bắt đầu lượt mới.',
    en: 'The assessment is closed; no new attempt can be started.',
  },
  ASSESSMENT_POOL_SHORT: {
    status: 422,
    vi: 'Ngân hàng không đủ câu hỏi cho quy tắc rút câu; chi tiết cho biết số câu còn dùng được.',
    en: 'A bank has too few questions for a draw rule; the details give how many are available.',
  },
  BLUEPRINT_RULE_UNKNOWN: {
    status: 422,
    vi: 'Quy tắc rút câu dùng ngân hàng, câu hỏi hoặc chủ đề không có hoặc ngoài phạm vi.',
    en: 'A draw rule names a bank, question or category that does not exist or is out of scope.',
  },
  ASSESSMENT_DRAWN: {
    status: 409,
    vi: 'Bài kiểm tra rút câu từ ngân hàng; câu hỏi riêng không dùng được.',
    en: 'The assessment draws from question banks; it has no questions of its own.',
  },
  RESPONSE_INVALID: {
    status: 422,
    vi: 'Câu trả lời không đúng dạng của câu hỏi.',
    en: 'The response does not fit the question.',
  },
  ATTEMPT_NOT_SUBMITTED: {
    status: 409,
    vi: 'Lượt làm bài chưa nộp; chỉ chấm được bài đã nộp.',
    en: 'The attempt is not submitted yet; only submitted attempts are marked.',
  },
  MARK_OWN_ATTEMPT: {
    status: 403,
    vi: 'Không thể tự chấm bài làm của chính mình.',
    en: 'You cannot mark your own attempt.',
  },
  MARK_NOT_NEEDED: {
    status: 409,
    vi: 'Câu trả lời không cần thêm lượt chấm này (đã đủ người chấm, hoặc lượt chấm chưa mở).',
    en: 'The answer needs no such mark (its markers are complete, or that marker slot is not open).',
  },
  MARKER_HOLDS_SLOT: {
    status: 409,
    vi: 'Bạn đã chấm câu trả lời này với tư cách người chấm thứ {markerNo}; một người không chấm hai lượt của cùng một câu.',
    en: 'You already marked this answer as marker {markerNo}; one person does not take two slots of an answer.',
  },
  MARK_LEAVES_NO_FINAL: {
    status: 409,
    vi: 'Kết quả đã công bố: điểm này làm hai người chấm chênh lệch quá ngưỡng mà chưa có người chấm thứ ba.',
    en: 'The result is released: this mark would leave the two markers apart beyond the threshold with no third mark.',
  },
  ACCOMMODATION_NOT_ACTIVE: {
    status: 409,
    vi: 'Người này không có điều chỉnh nào đang hiệu lực để thu hồi.',
    en: 'This person has no current accommodation to revoke.',
  },
  QUESTION_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy câu hỏi trong lượt làm bài này.',
    en: 'The question is not part of this attempt.',
  },
  ANSWER_INVALID: {
    status: 422,
    vi: 'Câu trả lời chọn phương án không có trong câu hỏi, hoặc chọn nhiều hơn một phương án cho câu một lựa chọn.',
    en: 'The answer picks an option the question lacks, or more than one option for a single-choice question.',
  },
  CERTIFICATE_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy giấy chứng nhận.',
    en: 'Certificate not found.',
  },
  CERTIFICATE_STATUS_INVALID: {
    status: 409,
    vi: 'Giấy chứng nhận đang ở trạng thái “{status}” nên không thể {action}.',
    en: 'The certificate is {status}, so it cannot be {action}.',
  },
  CERTIFICATE_SUSPENDED: {
    status: 409,
    vi: 'Giấy chứng nhận đang bị tạm đình chỉ: hãy khôi phục hiệu lực trước khi cấp lại.',
    en: 'The certificate is suspended: reinstate it before reissuing it.',
  },
  CERTIFICATE_EXPIRED: {
    status: 409,
    vi: 'Giấy chứng nhận đã hết hiệu lực từ ngày {date}, chỉ còn có thể thu hồi; người học được cấp giấy chứng nhận mới khi hoàn thành bồi dưỡng lại.',
    en: 'The certificate has been expired since {date} and can only be revoked; the holder earns a new one by completing the recertification.',
  },
  CERTIFICATE_REVOKED: {
    status: 409,
    vi: 'Giấy chứng nhận đã bị thu hồi; thu hồi là quyết định cuối cùng, không thể thay đổi.',
    en: 'The certificate is revoked; revocation is final and cannot be changed.',
  },
  CERTIFICATE_REPLACED: {
    status: 409,
    vi: 'Giấy chứng nhận đã được cấp lại bằng giấy chứng nhận số hiệu {serial}; hãy thao tác trên giấy chứng nhận mới.',
    en: 'The certificate was reissued as {serial}; act on the new certificate instead.',
  },
  CERTIFICATE_OWN_CHANGE: {
    status: 403,
    vi: 'Không thể tự đình chỉ, thu hồi hoặc cấp lại giấy chứng nhận của chính mình.',
    en: 'You cannot suspend, revoke or reissue your own certificate.',
  },
  FRAMEWORK_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy khung năng lực.',
    en: 'Competency framework not found.',
  },
  FRAMEWORK_VERSION_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy phiên bản khung năng lực.',
    en: 'Framework version not found.',
  },
  FRAMEWORK_CODE_TAKEN: {
    status: 409,
    vi: 'Mã khung năng lực {code} đã tồn tại.',
    en: 'Framework code {code} is already used.',
  },
  FRAMEWORK_OWNER_LEVEL_INVALID: {
    status: 422,
    vi: 'Khung năng lực chỉ do Tổng Liên đoàn, liên đoàn lao động tỉnh, thành phố hoặc công đoàn ngành trung ương quản lý.',
    en: 'A framework is owned only by the confederation, a provincial federation or a central sectoral union.',
  },
  FRAMEWORK_VERSION_LOCKED: {
    status: 409,
    vi: 'Phiên bản {versionNo} của khung năng lực đã công bố hoặc ngừng áp dụng nên không thể thay đổi; hãy tạo phiên bản mới.',
    en: 'Version {versionNo} of the framework is published or retired and cannot change; start a new version.',
  },
  FRAMEWORK_VERSION_NOT_PUBLISHED: {
    status: 422,
    vi: 'Phiên bản khung năng lực chưa được công bố.',
    en: 'The framework version is not published.',
  },
  FRAMEWORK_VERSION_RETIRED: {
    status: 422,
    vi: 'Phiên bản khung năng lực đã ngừng áp dụng; hãy dùng phiên bản đang áp dụng.',
    en: 'The framework version is retired; use the version in force.',
  },
  FRAMEWORK_VERSION_EMPTY: {
    status: 422,
    vi: 'Phiên bản cần ít nhất một năng lực trước khi công bố.',
    en: 'A version needs at least one competency before it is published.',
  },
  FRAMEWORK_DRAFT_EXISTS: {
    status: 409,
    vi: 'Khung năng lực đã có một phiên bản nháp; hãy hoàn thiện hoặc công bố phiên bản đó trước.',
    en: 'The framework already has a draft version; finish or publish it first.',
  },
  COMPETENCY_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy năng lực {code} trong phiên bản này.',
    en: 'Competency {code} is not part of this version.',
  },
  COMPETENCY_DOMAIN_IN_USE: {
    status: 409,
    vi: 'Nhóm năng lực còn năng lực trực thuộc.',
    en: 'The domain still groups competencies.',
  },
  FRAMEWORK_IMPORT_INVALID: {
    status: 422,
    vi: 'Tệp nhập khung năng lực có {count} lỗi; chưa ghi dữ liệu nào. Xem chi tiết từng dòng.',
    en: 'The framework file has {count} errors; nothing was written. See the rows in details.',
  },
  ASSESSMENT_COMPETENCY_UNKNOWN: {
    status: 422,
    vi: 'Câu hỏi gắn với năng lực không thuộc phiên bản khung năng lực đã ban hành nào mà bạn được xem.',
    en: 'A question is tagged with a competency that is not part of a published framework version you can read.',
  },
  ROLE_PROFILE_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy yêu cầu năng lực của chức danh.',
    en: 'Role profile not found.',
  },
  ROLE_PROFILE_EXISTS: {
    status: 409,
    vi: 'Đã có yêu cầu năng lực cho chức danh này với cùng cấp đơn vị và khu vực trong phiên bản này.',
    en: 'A role profile for this post, org level and sector already exists in this version.',
  },
  ROLE_PROFILE_COMPETENCY_UNKNOWN: {
    status: 422,
    vi: 'Năng lực {codes} không thuộc phiên bản khung năng lực của yêu cầu này.',
    en: 'Competency {codes} is not part of the framework version of this role profile.',
  },
  ROLE_PROFILE_REQUIREMENT_NOT_FOUND: {
    status: 404,
    vi: 'Yêu cầu năng lực của chức danh không có năng lực {code}.',
    en: 'The role profile does not require competency {code}.',
  },
  ROLE_PROFILE_EMPTY: {
    status: 422,
    vi: 'Yêu cầu năng lực của chức danh phải có ít nhất một năng lực.',
    en: 'A role profile needs at least one required competency.',
  },
  SELF_RATING_INCOMPLETE: {
    status: 422,
    vi: 'Tự đánh giá phải gồm tất cả {expected} năng lực của khung; còn thiếu {missing}.',
    en: 'A self-rating covers all {expected} competencies of the framework; {missing} are missing.',
  },
  SELF_RATING_OTHERS: {
    status: 403,
    vi: 'Chỉ chính cán bộ mới tự đánh giá được năng lực của mình.',
    en: 'Only the person themself can submit a self-rating.',
  },
  SUPERVISOR_RATING_SELF: {
    status: 422,
    vi: 'Không thể đánh giá năng lực của chính mình với tư cách cấp trên; hãy dùng tự đánh giá.',
    en: 'You cannot rate yourself as a supervisor; use the self-rating.',
  },
  POST_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy chức danh.',
    en: 'Post not found.',
  },
  POST_TITLE_TAKEN: {
    status: 409,
    vi: 'Đơn vị đã có chức danh "{title}" đang sử dụng.',
    en: 'The unit already has an active post "{title}".',
  },
  POST_ARCHIVED: {
    status: 409,
    vi: 'Chức danh đã được lưu trữ nên không thể bổ nhiệm thêm.',
    en: 'The post is archived; nobody can be appointed to it.',
  },
  POST_HAS_HOLDERS: {
    status: 409,
    vi: 'Chức danh còn người đang đảm nhiệm; hãy kết thúc các nhiệm vụ trước khi lưu trữ.',
    en: 'The post still has holders; end their appointments before archiving it.',
  },
  POST_HOLDERS_OVERLAP: {
    status: 409,
    vi: 'Chức danh đang có nhiều người đảm nhiệm trùng thời gian nên không thể chuyển thành chức danh một người.',
    en: 'The post has holders whose periods overlap, so it cannot become a single-holder post.',
  },
  TERM_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy nhiệm kỳ.',
    en: 'Term not found.',
  },
  TERM_OVERLAP: {
    status: 409,
    vi: 'Nhiệm kỳ trùng thời gian với nhiệm kỳ "{name}" của đơn vị.',
    en: 'The term overlaps the unit’s term "{name}".',
  },
  TERM_TOO_LONG: {
    status: 422,
    vi: 'Một nhiệm kỳ dài tối đa {months} tháng (5 năm, điều chỉnh không quá 30 tháng).',
    en: 'A term lasts at most {months} months (5 years, shifted by at most 30 months).',
  },
  TERM_START_OUT_OF_RANGE: {
    status: 422,
    vi: 'Ngày bắt đầu nhiệm kỳ phải từ {earliest} đến {latest}.',
    en: 'A term must start from {earliest} to {latest}.',
  },
  TERM_APPOINTMENTS_OUTSIDE: {
    status: 409,
    vi: 'Có {count} người được bầu, bổ nhiệm trong nhiệm kỳ từ ngày nằm ngoài thời gian mới; hãy sửa các quyết định đó trước.',
    en: '{count} appointment(s) of the term start outside the new dates; correct them first.',
  },
  TERM_UNIT_MISMATCH: {
    status: 422,
    vi: 'Nhiệm kỳ không thuộc đơn vị của chức danh.',
    en: 'The term does not belong to the post’s unit.',
  },
  DATE_RANGE_INVALID: {
    status: 400,
    vi: 'Ngày kết thúc không được trước ngày bắt đầu ({startDate}).',
    en: 'The end date cannot be before the start date ({startDate}).',
  },
  APPOINTMENT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy quyết định bầu, bổ nhiệm.',
    en: 'Appointment not found.',
  },
  APPOINTMENT_OVERLAP: {
    status: 409,
    vi: 'Chức danh "{title}" đã có người đảm nhiệm trong khoảng thời gian này.',
    en: 'The post "{title}" already has a holder in this period.',
  },
  APPOINTMENT_OUTSIDE_TERM: {
    status: 422,
    vi: 'Ngày bắt đầu phải nằm trong nhiệm kỳ ({termStart} – {termEnd}).',
    en: 'The start date must lie within the term ({termStart} – {termEnd}).',
  },
  APPOINTMENT_DATE_OUT_OF_RANGE: {
    status: 422,
    vi: 'Ngày bắt đầu đảm nhiệm phải từ {earliest} đến {latest}, ngày kết thúc không sau {latestEnd}.',
    en: 'An appointment starts from {earliest} to {latest} and ends by {latestEnd}.',
  },
  APPOINTMENT_BEFORE_MIN_AGE: {
    status: 422,
    vi: 'Cán bộ sinh ngày {birthDate} đủ {minAge} tuổi từ ngày {from}; không thể đảm nhiệm chức danh trước ngày đó.',
    en: 'The person, born {birthDate}, is {minAge} from {from}; no appointment can start before then.',
  },
  APPOINTMENT_NOT_ACTIVE: {
    status: 409,
    vi: 'Nhiệm vụ này đã kết thúc hoặc đã bị hủy.',
    en: 'The appointment has already ended or was cancelled.',
  },
  PERSON_NOT_ACTIVE: {
    status: 422,
    vi: 'Cán bộ không còn đang công tác nên không thể bầu, bổ nhiệm.',
    en: 'The person is no longer active and cannot be appointed.',
  },
  EVALUATION_SELF: {
    status: 422,
    vi: 'Không thể tự đánh giá, xếp loại chính mình.',
    en: 'Nobody can record their own yearly evaluation.',
  },
  EVALUATION_PERSON_NOT_ACTIVE: {
    status: 422,
    vi: 'Cán bộ không còn đang công tác nên không thể đánh giá, xếp loại.',
    en: 'The person is no longer in service and cannot be evaluated.',
  },
  EVALUATION_YEAR_BEFORE_MIN_AGE: {
    status: 422,
    vi: 'Cán bộ sinh ngày {birthDate} chưa đủ {minAge} tuổi trong năm {year}; năm đánh giá sớm nhất là {earliestYear}.',
    en: 'The person, born {birthDate}, was not yet {minAge} in {year}; the earliest year to evaluate is {earliestYear}.',
  },
  QUESTION_BANK_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy ngân hàng câu hỏi.',
    en: 'Question bank not found.',
  },
  QUESTION_BANK_ARCHIVED: {
    status: 409,
    vi: 'Ngân hàng câu hỏi đã lưu trữ: khôi phục trước khi thêm hoặc sửa câu hỏi.',
    en: 'The question bank is archived: restore it before adding or changing questions.',
  },
  BANK_QUESTION_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy câu hỏi trong ngân hàng.',
    en: 'Question not found in the bank.',
  },
  QUESTION_CATEGORY_NAME_TAKEN: {
    status: 409,
    vi: 'Ngân hàng đã có nhóm câu hỏi "{name}".',
    en: 'The bank already has a category named "{name}".',
  },
  QUESTION_CATEGORY_UNKNOWN: {
    status: 422,
    vi: 'Nhóm câu hỏi không thuộc ngân hàng này.',
    en: 'The category is not one of this bank.',
  },
  QUESTION_COMPETENCY_UNKNOWN: {
    status: 422,
    vi: 'Năng lực gắn với câu hỏi không thuộc phiên bản khung năng lực đã ban hành nào mà bạn được xem.',
    en: 'The competency is not part of a published framework version you can read.',
  },
  QUESTION_VERSION_CONFLICT: {
    status: 409,
    vi: 'Câu hỏi vừa được người khác sửa (nay là phiên bản {current}); hãy tải lại rồi sửa tiếp.',
    en: 'The question was changed meanwhile (it is now version {current}); reload it and edit again.',
  },
  QUESTION_KIND_CHANGED: {
    status: 422,
    vi: 'Phiên bản mới của câu hỏi phải giữ nguyên loại câu hỏi ({kind}).',
    en: 'A new version of a question keeps its kind ({kind}).',
  },
  QTI_FILE_REQUIRED: {
    status: 400,
    vi: 'Chưa chọn tệp QTI (gói .zip hoặc một tệp câu hỏi .xml).',
    en: 'No QTI file was sent (a .zip package or one item .xml).',
  },
  QTI_FILE_INVALID: {
    status: 400,
    vi: 'Tệp QTI không đọc được hoặc có câu hỏi không hợp lệ; không câu hỏi nào được ghi.',
    en: 'The QTI file cannot be read or holds invalid items; nothing was written.',
  },
  QUESTION_SHEET_INVALID: {
    status: 400,
    vi: 'Có {rows} dòng câu hỏi không hợp lệ nên chưa ghi câu hỏi nào; xem lỗi của từng dòng.',
    en: '{rows} question rows are invalid, so nothing was written; see the errors of each row.',
  },
  QUESTION_SHEET_TOO_MANY_ROWS: {
    status: 400,
    vi: 'Tệp có hơn {max} câu hỏi: hãy chia thành nhiều tệp, mỗi tệp tối đa {max} câu hỏi.',
    en: 'The file holds more than {max} questions: split it into files of at most {max}.',
  },
  PROGRAMME_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy chương trình đào tạo.',
    en: 'Programme not found.',
  },
  PROGRAMME_CODE_TAKEN: {
    status: 409,
    vi: 'Mã chương trình {code} đã được dùng.',
    en: 'The programme code {code} is already taken.',
  },
  PROGRAMME_LOCKED: {
    status: 409,
    vi: 'Chương trình đã ban hành: không thể đổi các nhóm khóa học.',
    en: 'The programme is published: its course sets cannot change.',
  },
  PROGRAMME_NOT_PUBLISHED: {
    status: 409,
    vi: 'Chương trình chưa ban hành (hoặc đã lưu trữ) nên chưa thể giao.',
    en: 'The programme is not published (or is archived) and cannot be assigned.',
  },
  PROGRAMME_EMPTY: {
    status: 409,
    vi: 'Chương trình chưa có khóa học nào.',
    en: 'The programme has no courses.',
  },
  PROGRAMME_HAS_ASSIGNMENTS: {
    status: 409,
    vi: 'Chương trình đã được giao nên không thể xóa.',
    en: 'The programme has assignments and cannot be deleted.',
  },
  PROGRAMME_COURSE_UNAVAILABLE: {
    status: 409,
    vi: 'Khóa học {code} của chương trình không còn ở trạng thái ban hành.',
    en: 'Course {code} of the programme is no longer published.',
  },
  AUDIENCE_UNKNOWN_REFERENCE: {
    status: 422,
    vi: 'Nhóm đối tượng nêu khóa học hoặc chương trình không có trong danh mục bạn được dùng: bộ lọc đó sẽ khớp với mọi người.',
    en: 'The audience names a course or programme that is not in your catalogue: the filter would match everyone.',
  },
  ASSIGNMENT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy đợt giao chương trình.',
    en: 'Assignment not found.',
  },
  ASSIGNMENT_BUSY: {
    status: 409,
    vi: 'Đợt giao này đang được xử lý; vui lòng đợi xong.',
    en: 'This assignment is being processed; wait until it finishes.',
  },
  ASSIGNMENT_RECERT_MANAGED: {
    status: 409,
    vi: 'Đợt giao này do quy trình cấp lại chứng nhận quản lý nên không thể chạy lại thủ công.',
    en: 'This assignment belongs to a recertification cycle and cannot be re-run by hand.',
  },
  ASSIGNMENT_JOB_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy tác vụ giao chương trình.',
    en: 'Assignment job not found.',
  },
  DUE_DATE_IN_PAST: {
    status: 422,
    vi: 'Hạn hoàn thành {dueDate} đã qua: hãy chọn hạn từ hôm nay ({today}) trở đi.',
    en: 'The due date {dueDate} has passed: choose today ({today}) or a later day.',
  },
  ASSIGNMENT_DUE_DATE_PASSED: {
    status: 422,
    vi: 'Hạn hoàn thành {dueDate} của đợt giao đã qua nên không thể chạy lại (người được bổ sung sẽ quá hạn ngay). Hãy tạo đợt giao mới với hạn hoàn thành mới.',
    en: 'The assignment was due on {dueDate}, which has passed, so it cannot be re-run (anyone it added would be overdue at once). Create a new assignment with a new due date.',
  },
  PLANNING_CYCLE_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy kỳ quy hoạch.',
    en: 'Planning cycle not found.',
  },
  PLANNING_CYCLE_STATUS: {
    status: 409,
    vi: 'Kỳ quy hoạch đang ở trạng thái "{status}" nên không thể thực hiện thao tác này.',
    en: 'The planning cycle is "{status}", which does not allow this.',
  },
  PLANNING_CYCLE_EXISTS: {
    status: 409,
    vi: 'Đơn vị đã có danh sách quy hoạch nhiệm kỳ {term} ({status}); mỗi đơn vị chỉ có một danh sách quy hoạch cho một nhiệm kỳ.',
    en: 'The unit already has a planning list for the {term} term ({status}); a unit has one list per term.',
  },
  PLANNING_CYCLE_LIMITS_EXCEEDED: {
    status: 409,
    vi: 'Không thể mở danh sách quy hoạch: {count} trường hợp vượt quy định khi tính cùng các danh sách quy hoạch đang có hiệu lực.',
    en: 'The list cannot be opened: {count} nominations break the rules once the live planning lists are counted.',
  },
  PLANNING_POST_NOT_IN_UNIT: {
    status: 422,
    vi: 'Chức danh quy hoạch phải là chức danh đang hoạt động của chính đơn vị.',
    en: 'Planned posts must be active posts of the unit itself.',
  },
  PLANNING_POST_NOT_PLANNED: {
    status: 422,
    vi: 'Chức danh này không thuộc kỳ quy hoạch.',
    en: 'This post is not planned in the cycle.',
  },
  NOMINATION_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy cán bộ trong danh sách quy hoạch.',
    en: 'Nomination not found.',
  },
  PLANNING_NOMINATION_DUPLICATE: {
    status: 409,
    vi: 'Cán bộ đã có trong danh sách quy hoạch chức danh này.',
    en: 'The person is already on the list for this post.',
  },
  PLANNING_NOMINATION_STATUS: {
    status: 409,
    vi: 'Cán bộ quy hoạch đang ở trạng thái "{status}" nên không thể thực hiện thao tác này.',
    en: 'The nomination is "{status}", which does not allow this.',
  },
  PLANNING_MAX_NOMINEES_PER_POST: {
    status: 422,
    vi: 'Mỗi chức danh quy hoạch tối đa {max} cán bộ.',
    en: 'A post may have at most {max} nominees.',
  },
  PLANNING_MAX_POSTS_PER_PERSON: {
    status: 422,
    vi: 'Mỗi cán bộ được quy hoạch tối đa {max} chức danh cùng cấp.',
    en: 'A person may be planned for at most {max} posts of the same level.',
  },
  PLANNING_AGE_RULE: {
    status: 422,
    vi: 'Cán bộ quy hoạch lần đầu phải còn ít nhất {years} năm công tác khi bắt đầu nhiệm kỳ (còn {yearsLeft} năm, nghỉ hưu ngày {retirementDate}).',
    en: 'A first-time nominee needs at least {years} working years when the term starts ({yearsLeft} left, retiring on {retirementDate}).',
  },
  PLANNING_BIRTH_DATE_MISSING: {
    status: 422,
    vi: 'Cán bộ chưa có ngày sinh nên không thể kiểm tra điều kiện tuổi quy hoạch.',
    en: 'The person has no birth date, so the planning age rule cannot be checked.',
  },
  PLANNING_GENDER_MISSING: {
    status: 422,
    vi: 'Cán bộ chưa có giới tính nên không xác định được tuổi nghỉ hưu.',
    en: 'The person has no gender, so the retirement age is unknown.',
  },
  PLANNING_PERSON_NOT_ACTIVE: {
    status: 422,
    vi: 'Cán bộ không còn đang công tác nên không thể đưa vào quy hoạch.',
    en: 'The person is no longer active and cannot be nominated.',
  },
  PLANNING_FOUR_EYES: {
    status: 422,
    vi: 'Người đề xuất, chính cán bộ được quy hoạch hoặc cán bộ cùng có tên quy hoạch vào chức danh này không được phê duyệt.',
    en: 'Neither the proposer, nor the nominee, nor anyone named for the same post may approve the nomination.',
  },
  PLANNING_REVIEW_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy kết quả rà soát quy hoạch.',
    en: 'Review entry not found.',
  },
  PLANNING_REVIEW_DECIDED: {
    status: 409,
    vi: 'Kết quả rà soát này đã được quyết định.',
    en: 'This review entry is already decided.',
  },
  PLANNING_READINESS_OVERRIDE_REASON: {
    status: 422,
    vi: 'Mức sẵn sàng khác với mức hệ thống gợi ý ("{suggested}") nên phải nêu lý do.',
    en: 'The readiness differs from the suggested one ("{suggested}"), so a reason is required.',
  },
  PLANNING_COURSE_NOT_IN_PLAN: {
    status: 422,
    vi: 'Khóa học không thuộc kế hoạch phát triển của cán bộ quy hoạch.',
    en: 'The course is not part of the nominee’s development plan.',
  },
  ROTATION_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy kế hoạch luân chuyển.',
    en: 'Rotation not found.',
  },
  ROTATION_TOO_SHORT: {
    status: 422,
    vi: 'Thời gian luân chuyển phải từ {months} tháng trở lên.',
    en: 'A rotation lasts at least {months} months.',
  },
  ROTATION_EARLY_END_REASON: {
    status: 422,
    vi: 'Kết thúc luân chuyển ngày {endDate}, trước thời hạn tối thiểu {months} tháng (từ ngày {minEnd}), phải nêu lý do.',
    en: 'Ending the rotation on {endDate}, before its minimum of {months} months (from {minEnd}), needs a reason.',
  },
  ROTATION_SERVICE_YEARS: {
    status: 422,
    vi: 'Cán bộ luân chuyển phải còn ít nhất {years} năm công tác khi bắt đầu luân chuyển (nghỉ hưu ngày {retirementDate}, còn {yearsLeft} năm).',
    en: 'A rotated cadre needs at least {years} years of service left when the rotation starts (retiring on {retirementDate}, {yearsLeft} left).',
  },
  ROTATION_RETIREMENT_UNKNOWN: {
    status: 422,
    vi: 'Cán bộ chưa có ngày sinh hoặc giới tính nên không xác định được thời gian công tác còn lại.',
    en: 'The person has no birth date or gender, so the years of service left are unknown.',
  },
  ROTATION_NOT_NOMINEE: {
    status: 422,
    vi: 'Chỉ luân chuyển cán bộ đã được phê duyệt trong danh sách quy hoạch.',
    en: 'Only approved nominees of a planning list can be rotated.',
  },
  ROTATION_OVERLAP: {
    status: 409,
    vi: 'Cán bộ đã có kế hoạch luân chuyển trùng thời gian ({start} – {end}).',
    en: 'The person already has a rotation in this period ({start} – {end}).',
  },
  ROTATION_STATUS_INVALID: {
    status: 409,
    vi: 'Không thể chuyển kế hoạch luân chuyển từ trạng thái "{status}" sang "{to}".',
    en: 'A rotation cannot move from "{status}" to "{to}".',
  },
  ROTATION_SAME_POST: {
    status: 422,
    vi: 'Chức danh luân chuyển đến trùng với chức danh cán bộ đang đảm nhiệm.',
    en: 'The rotation leads to the post the person already holds.',
  },
  ROTATION_FROM_POST_NOT_HELD: {
    status: 422,
    vi: 'Cán bộ hiện không đảm nhiệm chức danh luân chuyển đi.',
    en: 'The person does not hold the post named as the one left.',
  },
  CONFLICT_UNIQUE: {
    status: 409,
    vi: 'Dữ liệu trùng với bản ghi đã có.',
    en: 'The data duplicates an existing record.',
  },
  REFERENCE_INVALID: {
    status: 422,
    vi: 'Dữ liệu tham chiếu tới bản ghi không tồn tại.',
    en: 'The data refers to a record that does not exist.',
  },
  CONSTRAINT_VIOLATED: {
    status: 422,
    vi: 'Dữ liệu vi phạm ràng buộc của hệ thống.',
    en: 'The data breaks a rule of the system.',
  },
  CONCURRENT_UPDATE: {
    status: 409,
    vi: 'Dữ liệu vừa được thay đổi bởi thao tác khác; vui lòng thử lại.',
    en: 'The data was changed by another operation; please retry.',
  },
  // Bulk import (src/imports): bad files answer before anything is written.
  IMPORT_FILE_REQUIRED: {
    status: 400,
    vi: 'Chưa có tệp tải lên (trường "file" của biểu mẫu).',
    en: 'No file was uploaded (form field "file").',
  },
  IMPORT_EMPTY_FILE: {
    status: 400,
    vi: 'Tệp tải lên rỗng.',
    en: 'The uploaded file is empty.',
  },
  IMPORT_FILE_TOO_LARGE: {
    status: 413,
    vi: 'Tệp quá lớn: dung lượng tối đa là {maxMb} MB. Hãy chia tệp thành nhiều phần.',
    en: 'The file is too large: at most {maxMb} MB. Split it into several files.',
  },
  IMPORT_NOT_SPREADSHEET: {
    status: 400,
    vi: 'Tệp không phải bảng tính: hãy tải lên tệp Excel (.xlsx) hoặc CSV.',
    en: 'The file is not a spreadsheet: upload an Excel (.xlsx) or CSV file.',
  },
  IMPORT_FILE_PROTECTED: {
    status: 422,
    vi: 'Tệp được đặt mật khẩu hoặc là tệp Excel đời cũ (.xls): hãy bỏ mật khẩu và lưu lại dưới dạng .xlsx hoặc CSV.',
    en: 'The file is password-protected or a legacy Excel file (.xls): remove the password and save it as .xlsx or CSV.',
  },
  IMPORT_CSV_NOT_UTF8: {
    status: 400,
    vi: 'Tệp CSV không dùng bảng mã UTF-8: trong Excel hãy lưu bằng "CSV UTF-8 (Comma delimited)".',
    en: 'The CSV file is not UTF-8: in Excel, save it as "CSV UTF-8 (Comma delimited)".',
  },
  IMPORT_KIND_REQUIRED: {
    status: 400,
    vi: 'Không xác định được loại dữ liệu của tệp: hãy chọn loại dữ liệu hoặc đặt tên trang tính như tệp mẫu.',
    en: 'The kind of data could not be told: choose a kind or name the sheets as the template does.',
  },
  IMPORT_KIND_NOT_SUPPORTED: {
    status: 422,
    vi: 'Chưa hỗ trợ nhập dữ liệu loại "{kind}" từ tệp.',
    en: 'Importing "{kind}" from a file is not supported yet.',
  },
  IMPORT_MISSING_HEADERS: {
    status: 400,
    vi: 'Trang tính "{sheet}" thiếu cột bắt buộc: {headers}.',
    en: 'Sheet "{sheet}" lacks required columns: {headers}.',
  },
  IMPORT_MERGED_CELLS: {
    status: 400,
    vi: 'Trang tính "{sheet}" có ô gộp ({ranges}): hãy bỏ gộp ô để mỗi dòng có đủ giá trị.',
    en: 'Sheet "{sheet}" has merged cells ({ranges}): unmerge them so that every row has its values.',
  },
  IMPORT_NO_ROWS: {
    status: 400,
    vi: 'Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.',
    en: 'The file has no data rows below the header row.',
  },
  IMPORT_ROWS_INVALID: {
    status: 422,
    vi: 'Có {count} dòng lỗi nên chưa ghi dòng nào. Hãy sửa các dòng lỗi, hoặc chọn chỉ ghi các dòng hợp lệ.',
    en: '{count} rows have errors, so nothing was written. Fix them, or choose to write the valid rows only.',
  },
  IMPORT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy lần nhập dữ liệu.',
    en: 'Import not found.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    vi: 'Nội dung yêu cầu quá lớn.',
    en: 'The request body is too large.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    vi: 'Hệ thống tạm thời không sẵn sàng.',
    en: 'The service is temporarily unavailable.',
  },
  INTERNAL_ERROR: {
    status: 500,
    vi: 'Đã xảy ra lỗi hệ thống. Mã tra cứu: {correlationId}.',
    en: 'An internal error occurred. Reference: {correlationId}.',
  },
} as const satisfies Record<string, { status: number; vi: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
