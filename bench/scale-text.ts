/**
 * The words of the scale data (bench/scale-data.ts): ticket titles and contents in Korean and
 * English, built from the topics a shop's help desk sees, so that word frequencies look like a
 * real service's instead of one repeated sentence:
 *
 * - topics are drawn by a Zipf-like weight (delivery and refunds far more often than receipts);
 *   each has Korean titles with particles and compound nouns (`배송지연`, `환불요청`) and
 *   English titles, plus sentences of its own;
 * - greetings, order-number and closing sentences are shared, so some words are common
 *   (`주문` begins a word in about a third of the tickets, `안녕하세요` is in a quarter);
 * - one ticket in a thousand names one of ten rare products, so each rare word is in about
 *   0.01% of the tickets.
 *
 * Everything is drawn from a seeded generator ({@link seededRandom}): the same seed gives the
 * same data, so two runs measure the same tickets. The text never holds a tab, newline or
 * backslash (it goes into COPY text format as is).
 */

/** Rare product names: each is in about 0.01% of the tickets, and no other word begins with one. */
export const RARE_WORDS = ['trampoline', 'kayak', 'metronome', 'dehumidifier', 'espresso', '안마의자', '제습기', '캠핑카', '카약', '가습기필터'] as const

/** The select field's values with their weights (the list benchmark filters on a mid-frequency one). */
export const PRODUCT_TYPES: ReadonlyArray<readonly [value: string, weight: number]> = [
  ['apparel', 30],
  ['electronics', 20],
  ['shoes', 15],
  ['beauty', 10],
  ['home', 10],
  ['food', 8],
  ['sports', 5],
  ['books', 2],
]

/** A fast seeded generator (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Picks by weight: `pick(random)` returns an index of `weights`. */
export function weightedPicker(weights: readonly number[]): (random: () => number) => number {
  const total = weights.reduce((a, b) => a + b, 0)
  const bounds: number[] = []
  let sum = 0
  for (const w of weights) bounds.push((sum += w) / total)
  return (random) => {
    const r = random()
    let low = 0
    let high = bounds.length - 1
    while (low < high) {
      const mid = (low + high) >> 1
      if (r < bounds[mid]!) high = mid
      else low = mid + 1
    }
    return low
  }
}

const pickOf = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!

/** A help-desk topic: its intake category, the team that handles it, and its words. */
export interface Topic {
  /** Name of the intake category (a leaf of {@link INTAKE_TREE}) this topic files under. */
  readonly category: string
  /** Name of the agent group (one of {@link GROUPS}) that handles it. */
  readonly group: string
  readonly koTitles: readonly string[]
  readonly enTitles: readonly string[]
  readonly koSentences: readonly string[]
  readonly enSentences: readonly string[]
}

/** Intake categories: top level, then the leaves tickets file under. */
export const INTAKE_TREE: ReadonlyArray<readonly [parent: string, leaves: readonly string[]]> = [
  ['주문·배송', ['배송 지연·조회', '주문 취소·변경', '교환', '정기배송']],
  ['결제·환불', ['환불', '결제 오류', '쿠폰', '포인트', '영수증']],
  ['회원', ['로그인', '회원 정보', '앱·알림']],
  ['상품', ['상품 불량', '재입고']],
]

export const GROUPS = ['배송팀', '결제팀', '주문팀', '회원팀', '상품팀'] as const

/** How completed tickets were closed (processing categories). */
export const PROCESSING = ['안내 완료', '환불 처리', '교환·반품 처리', '보상 지급', '개발팀 이관'] as const

/** Most frequent first: topic i is drawn with weight 1 / (i + 1). */
export const TOPICS: readonly Topic[] = [
  {
    category: '배송 지연·조회',
    group: '배송팀',
    koTitles: ['배송 문의', '배송지연 문의드립니다', '배송이 너무 늦어요', '택배가 아직 안 왔어요', '배송 조회가 안 됩니다', '언제 배송되나요'],
    enTitles: ['Where is my package', 'Delivery delayed', 'Tracking number not working', 'When will my order ship'],
    koSentences: ['일주일 전에 주문했는데 아직 배송이 시작되지 않았어요.', '배송조회를 하면 계속 준비중으로 나옵니다.', '택배기사님 연락처를 알 수 있을까요?', '배송지연 보상이 있는지 궁금합니다.', '출고 예정일이 지났는데 소식이 없네요.'],
    enSentences: ['I ordered a week ago and it still has not shipped.', 'The tracking page says the label was created but nothing since.', 'Can you tell me when the courier will arrive?', 'Is there any compensation for the late delivery?'],
  },
  {
    category: '환불',
    group: '결제팀',
    koTitles: ['환불요청', '환불 언제 되나요', '환불 처리가 안 됐어요', '반품 후 환불 문의', '부분환불 가능한가요'],
    enTitles: ['Refund request', 'Still waiting for my refund', 'Refund not received', 'Partial refund possible?'],
    koSentences: ['반품한 지 열흘이 지났는데 환불이 아직 안 들어왔어요.', '카드사에 확인해보니 취소 내역이 없다고 합니다.', '환불 계좌를 변경하고 싶어요.', '반품 회수는 완료됐다고 나옵니다.'],
    enSentences: ['I returned the item ten days ago and have not been refunded.', 'My bank says there is no pending refund.', 'Please refund to my original payment method.'],
  },
  {
    category: '결제 오류',
    group: '결제팀',
    koTitles: ['결제오류', '결제가 두 번 됐어요', '카드 결제가 안 돼요', '무통장입금 확인 요청', '결제수단 변경'],
    enTitles: ['Payment failed', 'I was charged twice', 'Card declined at checkout', 'Bank transfer not confirmed'],
    koSentences: ['결제 버튼을 누르면 오류 화면이 나옵니다.', '같은 금액이 두 번 승인되었어요.', '입금했는데 주문 상태가 그대로예요.', '간편결제로 바꾸고 싶습니다.'],
    enSentences: ['The checkout page shows an error after I enter my card.', 'I see two identical charges on my statement.', 'I paid by bank transfer yesterday.'],
  },
  {
    category: '주문 취소·변경',
    group: '주문팀',
    koTitles: ['주문취소 요청', '주문을 취소하고 싶어요', '주문 변경 문의', '주문내역이 안 보여요'],
    enTitles: ['Cancel my order', 'Change my order', 'Order missing from my account'],
    koSentences: ['실수로 같은 상품을 두 개 주문했어요.', '주문을 취소하면 쿠폰은 돌려받을 수 있나요?', '옵션을 잘못 선택해서 주문을 변경하고 싶습니다.'],
    enSentences: ['I placed the same order twice by mistake.', 'Please cancel before it ships.', 'I picked the wrong colour.'],
  },
  {
    category: '교환',
    group: '주문팀',
    koTitles: ['교환신청', '사이즈 교환 문의', '색상 교환 가능한가요', '교환 상품 발송 문의'],
    enTitles: ['Exchange for a different size', 'Exchange request', 'Wrong colour received'],
    koSentences: ['사이즈가 작아서 한 치수 큰 걸로 교환하고 싶어요.', '교환 신청 버튼이 안 보입니다.', '교환 배송비는 누가 부담하나요?'],
    enSentences: ['The shoes are too small, I need one size up.', 'Who pays the return shipping for an exchange?'],
  },
  {
    category: '로그인',
    group: '회원팀',
    koTitles: ['로그인이 안 돼요', '비밀번호 재설정', '아이디를 잊어버렸어요', '본인인증 오류'],
    enTitles: ['Cannot log in', 'Password reset link not working', 'Forgot my username', 'Verification code never arrives'],
    koSentences: ['비밀번호를 바꿨는데도 로그인이 안 됩니다.', '인증번호 문자가 오지 않아요.', '휴대폰 번호가 바뀌어서 본인인증을 못 해요.'],
    enSentences: ['The reset link says it has expired.', 'I never receive the verification code.', 'I changed my phone number.'],
  },
  {
    category: '회원 정보',
    group: '회원팀',
    koTitles: ['회원탈퇴 요청', '회원정보 수정', '개인정보 삭제 요청', '휴면계정 해제'],
    enTitles: ['Delete my account', 'Update my profile', 'Remove my personal data'],
    koSentences: ['탈퇴하면 적립금은 어떻게 되나요?', '주소와 연락처를 바꾸고 싶어요.', '휴면 상태라고 나와서 로그인이 안 돼요.'],
    enSentences: ['Please delete all my data.', 'I want to change the email address on my account.'],
  },
  {
    category: '쿠폰',
    group: '결제팀',
    koTitles: ['쿠폰이 적용되지 않아요', '쿠폰 사용 문의', '할인코드 오류', '신규가입 쿠폰 미지급'],
    enTitles: ['Coupon code not working', 'Discount not applied', 'Welcome coupon missing'],
    koSentences: ['쿠폰을 입력하면 사용할 수 없는 쿠폰이라고 나와요.', '할인 금액이 결제 금액에 반영되지 않았어요.'],
    enSentences: ['The code says it is invalid.', 'The discount disappeared at checkout.'],
  },
  {
    category: '상품 불량',
    group: '상품팀',
    koTitles: ['상품 불량', '상품이 파손되어 도착했어요', '구성품 누락', '설명과 다른 상품'],
    enTitles: ['Item arrived damaged', 'Defective product', 'Missing parts', 'Not as described'],
    koSentences: ['박스를 열어보니 상품이 깨져 있었어요.', '사진 첨부합니다.', '구성품 중 충전기가 빠져 있습니다.', '상세페이지 사진과 색상이 달라요.'],
    enSentences: ['The box was crushed and the item is broken.', 'Photos attached.', 'The charger is missing from the box.'],
  },
  {
    category: '재입고',
    group: '상품팀',
    koTitles: ['재입고 문의', '품절 상품 문의', '입고 알림 신청'],
    enTitles: ['When will this be back in stock', 'Sold out item'],
    koSentences: ['재입고 예정일이 있을까요?', '다른 사이즈는 언제 들어오나요?'],
    enSentences: ['Will you restock this colour?', 'Please notify me when it is available.'],
  },
  {
    category: '포인트',
    group: '결제팀',
    koTitles: ['포인트 적립 누락', '포인트 소멸 문의', '적립금 사용 방법'],
    enTitles: ['Missing reward points', 'Points expired'],
    koSentences: ['구매확정을 했는데 포인트가 안 들어왔어요.', '적립금 유효기간이 궁금합니다.'],
    enSentences: ['My points were not credited after the purchase.'],
  },
  {
    category: '앱·알림',
    group: '회원팀',
    koTitles: ['앱이 자꾸 꺼져요', '앱 업데이트 후 오류', '알림 수신 거부', '문자 수신 설정'],
    enTitles: ['App keeps crashing', 'Stop marketing emails', 'Notifications not working'],
    koSentences: ['최신 버전으로 업데이트했는데도 앱이 종료됩니다.', '광고 문자를 그만 받고 싶어요.'],
    enSentences: ['The app closes right after the splash screen.', 'Please unsubscribe me from promotions.'],
  },
  {
    category: '영수증',
    group: '결제팀',
    koTitles: ['영수증 발급 요청', '세금계산서 발행', '현금영수증 신청'],
    enTitles: ['Need an invoice', 'Receipt for my purchase'],
    koSentences: ['사업자 번호로 세금계산서를 받고 싶어요.', '현금영수증을 나중에 신청할 수 있나요?'],
    enSentences: ['Please send an invoice with my company name.'],
  },
  {
    category: '정기배송',
    group: '주문팀',
    koTitles: ['정기배송 해지', '멤버십 해지', '정기결제 해지 문의'],
    enTitles: ['Cancel subscription', 'Stop my monthly delivery'],
    koSentences: ['다음 달부터 정기배송을 그만 받고 싶어요.', '해지하면 남은 기간은 환불되나요?'],
    enSentences: ['I no longer want the monthly box.'],
  },
]

const KO_OPENERS = ['안녕하세요.', '안녕하세요, 문의드립니다.', '수고 많으십니다.', '급하게 문의드려요.']
const KO_CLOSERS = ['확인 부탁드립니다.', '빠른 답변 부탁드려요.', '감사합니다.', '연락 기다리겠습니다.', '처리 부탁드립니다.']
const KO_GENERIC = ['고객센터에 전화했는데 연결이 안 됐어요.', '지난번에도 같은 문제가 있었어요.', '어제 오후에 주문한 건입니다.', '선물용이라 꼭 날짜를 맞춰야 해요.', '답변이 너무 늦어서 다시 남깁니다.', '채팅 상담이 종료되어 글 남겨요.']
const EN_OPENERS = ['Hi,', 'Hello,', 'Hi there,', 'Good morning,']
const EN_CLOSERS = ['Thanks.', 'Please help.', 'Thank you in advance.', 'Looking forward to your reply.']
const EN_GENERIC = ['I called support but nobody answered.', 'This happened last time too.', 'It is a gift so the date matters.', 'I already sent an email about this.']

const TOPIC_PICK = weightedPicker(TOPICS.map((_, i) => 1 / (i + 1)))

export interface TicketText {
  readonly language: 'ko' | 'en'
  readonly topic: Topic
  readonly title: string
  readonly content: string
}

/**
 * One ticket's text. `orderNo` is quoted in the order sentence, which about a third of the
 * Korean tickets carry (`주문번호`), so `주문` is common; one ticket in a thousand names a
 * rare product.
 */
export function ticketText(random: () => number, orderNo: string): TicketText {
  const topic = TOPICS[TOPIC_PICK(random)]!
  const korean = random() < 0.75
  const sentences: string[] = []
  if (korean) {
    if (random() < 0.7) sentences.push(pickOf(random, KO_OPENERS))
    if (random() < 0.3) sentences.push(`주문번호 ${orderNo} 건입니다.`)
    sentences.push(pickOf(random, topic.koSentences))
    if (random() < 0.5) sentences.push(pickOf(random, topic.koSentences))
    if (random() < 0.3) sentences.push(pickOf(random, KO_GENERIC))
    if (random() < 0.001) sentences.push(`제품은 ${pickOf(random, RARE_WORDS)} 모델입니다.`)
    sentences.push(pickOf(random, KO_CLOSERS))
  } else {
    sentences.push(pickOf(random, EN_OPENERS))
    if (random() < 0.4) sentences.push(`My order number is ${orderNo}.`)
    sentences.push(pickOf(random, topic.enSentences))
    if (random() < 0.4) sentences.push(pickOf(random, topic.enSentences))
    if (random() < 0.3) sentences.push(pickOf(random, EN_GENERIC))
    if (random() < 0.001) sentences.push(`It is about the ${pickOf(random, RARE_WORDS)} I bought.`)
    sentences.push(pickOf(random, EN_CLOSERS))
  }
  return { language: korean ? 'ko' : 'en', topic, title: pickOf(random, korean ? topic.koTitles : topic.enTitles), content: sentences.join(' ') }
}

const FAMILY = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권']
const GIVEN = ['민준', '서연', '지우', '하준', '서윤', '도윤', '지민', '예준', '하은', '시우', '수아', '주원', '지호', '유진', '현우', '다은']
const EN_NAMES = ['Alex Kim', 'Jordan Lee', 'Sam Park', 'Taylor Choi', 'Chris Jung', 'Morgan Han', 'Jamie Yoon', 'Casey Lim']

/** A requester's display name in the ticket's language. */
export function requesterName(random: () => number, language: 'ko' | 'en'): string {
  return language === 'ko' ? pickOf(random, FAMILY) + pickOf(random, GIVEN) : pickOf(random, EN_NAMES)
}
