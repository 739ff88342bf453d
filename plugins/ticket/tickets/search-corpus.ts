/**
 * A search corpus: Korean, English and mixed help-desk tickets, and searches with the tickets
 * each should find, for search-corpus.test.ts to measure recall and precision.
 *
 * A query's expected tickets are those whose title or content holds every word of the query in
 * some written form: with another particle or ending (`배송이` for `배송을`), inside a compound
 * noun or apart from it (`배송지연`, "배송 지연"), as part of a longer word (`지연` in
 * `배송지연`, `번호` in `비밀번호`), or inflected in English (`refunds` for `refunded`). What
 * shares letters but not the word is not expected, and counts against precision: `배송지`
 * (shipping address) inside `배송지연` (delivery delay), a delay of something other than the
 * delivery for `배송지연`, `log` (logging) in `login`. Translations are not expected:
 * `login` does not ask for "로그인".
 */

export interface CorpusTicket {
  title: string
  content: string
}

export interface CorpusQuery {
  q: string
  /** What the query exercises, for the printed table. */
  kind: 'particle' | 'compound' | 'partial' | 'syllable' | 'english' | 'mixed' | 'number' | 'folded'
  expected: readonly TicketKey[]
}

export const CORPUS_TICKETS = {
  // Delivery
  shipLate: { title: '배송지연 문의', content: '주문한 지 일주일이 지났는데 아직 배송이 안 됐어요.' },
  shipLateCancel: { title: '배송 지연으로 주문 취소하고 싶어요', content: '배송이 너무 늦어서 취소 요청합니다.' },
  shipDawnLate: { title: '새벽배송 지연', content: '새벽배송을 신청했는데 오후에 도착했어요.' },
  shipLateAgain: { title: '또 배송이 지연되고 있습니다', content: '지난번에도 늦었는데 이번에도 택배가 안 옵니다.' },
  parcelMissing: { title: '택배가 아직 안 왔어요', content: '송장번호로 조회가 안 됩니다. 배송 상태 확인 부탁드립니다.' },
  addressChange: { title: '배송지 변경 요청', content: '이사를 해서 배송지를 바꾸고 싶습니다. 처리가 지연되면 곤란해요.' },
  addressWrong: { title: '배송지가 잘못 입력됐어요', content: '주소를 수정할 수 있을까요?' },
  deliveredNotReceived: { title: '배송 완료로 나오는데 물건을 못 받았어요', content: '경비실에도 없습니다.' },
  wrongItem: { title: '오배송 신고', content: '다른 상품이 배송되었습니다. 교환해 주세요.' },
  abroad: { title: '해외배송 가능한가요?', content: '미국으로 보내고 싶습니다.' },
  shippingFee: { title: '배송비 환불 문의', content: '반품했는데 배송비가 환불되지 않았어요.' },
  // Refund
  refundRequest: { title: '환불요청', content: '단순 변심으로 환불 요청드립니다.' },
  refundBroken: { title: '환불 요청합니다', content: '상품이 파손되어 도착했습니다.' },
  refundWhen: { title: '환불은 언제 되나요?', content: '취소한 지 3일이 지났는데 환불 처리가 안 됐어요.' },
  refundPartial: { title: '부분환불 가능 여부', content: '세트 중 하나만 반품하고 싶어요.' },
  refundAccount: { title: '환불계좌 변경', content: '환불받을 계좌를 바꾸고 싶습니다.' },
  // Sign-in
  loginError: { title: '로그인 오류', content: '비밀번호를 맞게 입력해도 로그인이 안 됩니다.' },
  loginFails: { title: '로그인이 안돼요', content: '앱에서 계속 오류가 납니다.' },
  passwordFind: { title: '비밀번호 찾기', content: '비밀번호 재설정 메일이 오지 않아요.' },
  passwordChanged: { title: '비밀번호변경 후 접속 불가', content: '변경한 비밀번호로도 들어갈 수 없어요.' },
  idFind: { title: '아이디 찾기', content: '가입한 이메일이 기억나지 않습니다.' },
  twoFactor: { title: '2단계 인증 문자가 안 와요', content: '휴대폰 번호는 맞습니다.' },
  logoutLoop: { title: '로그아웃이 자꾸 돼요', content: '앱을 켤 때마다 다시 들어가야 해요.' },
  // Payment
  payCancel: { title: '결제 취소 요청', content: '중복 결제가 되었습니다. 하나 취소해 주세요.' },
  payCancelFails: { title: '결제취소가 안 돼요', content: '주문 내역에서 버튼을 눌러도 반응이 없습니다.' },
  cardError: { title: '카드결제 오류', content: '결제 중 오류가 발생했습니다.' },
  payTwice: { title: '결제가 두 번 됐어요', content: '카드 명세서에 두 건이 찍혔습니다.' },
  bankTransfer: { title: '무통장입금 확인 요청', content: '어제 입금했는데 아직 확인이 안 됩니다.' },
  payMethod: { title: '결제 수단 변경', content: '신용카드에서 계좌이체로 바꿀 수 있나요?' },
  payDelay: { title: '결제 승인 지연', content: '카드사 승인이 계속 지연됩니다.' },
  // Exchange
  exchangeSize: { title: '교환 신청', content: '사이즈가 맞지 않아 교환하고 싶습니다.' },
  exchangeItem: { title: '상품교환 문의', content: '색상을 바꾸고 싶어요.' },
  exchangeShip: { title: '교환 상품 배송은 언제 되나요', content: '회수는 끝났다고 들었습니다.' },
  // Account and the rest
  leave: { title: '회원탈퇴 요청', content: '탈퇴하면 적립금은 어떻게 되나요?' },
  coupon: { title: '쿠폰이 적용되지 않아요', content: '결제 화면에서 쿠폰을 선택할 수 없습니다.' },
  points: { title: '적립금 사용 문의', content: '적립금은 언제부터 쓸 수 있나요?' },
  callCenter: { title: '고객센터 전화 연결이 안 돼요', content: '한 시간째 대기 중입니다.' },
  counselor: { title: '상담원 연결 요청', content: '고객센터로 전화해도 ARS만 나옵니다.' },
  receipt: { title: '영수증 발급', content: '현금영수증을 발급받고 싶습니다.' },
  taxInvoice: { title: '세금계산서 발행 요청', content: '사업자 번호를 보내드립니다.' },
  orderCancel: { title: '주문 취소 문의', content: '아직 발송 전이면 취소 부탁드립니다.' },
  stock: { title: '재고 문의', content: '품절된 상품은 언제 다시 들어오나요?' },
  ageLimit: { title: '나이 제한이 있나요', content: '중학생도 가입할 수 있는지 궁금합니다.' },
  // English
  enRefundRequest: { title: 'Refund request for order 1042', content: 'I would like a refund, the item arrived damaged.' },
  enRefundsPending: { title: 'Refunds not received', content: 'Two refunds are still pending after a week.' },
  enRefunded: { title: 'Where is my money?', content: 'The app says it was refunded but I see nothing on my card.' },
  enDeliveryDelayed: { title: 'Delivery delayed', content: 'My parcel never arrived.' },
  enLateDelivery: { title: 'Late delivery of order 2210', content: 'It was supposed to come on Monday.' },
  enDeliveredWrong: { title: 'Package was delivered to the wrong address', content: 'The neighbour has it now.' },
  enDeliveriesIsland: { title: 'Deliveries to Jeju island', content: 'Do you ship to islands?' },
  enCannotLogIn: { title: 'Cannot sign in', content: 'Login fails with error 500 after a password reset.' },
  enLoginSlow: { title: 'Login page is slow', content: 'It takes a minute to load.' },
  enLoggingOut: { title: 'Logging out randomly', content: 'The app keeps signing me out.' },
  enPasswordExpired: { title: 'Password reset link expired', content: 'The link in the mail no longer works.' },
  enForgotPassword: { title: 'Forgot my password', content: 'Please help me get back into my account.' },
  enPaymentFailed: { title: 'Payment failed', content: 'My card was charged but the order failed.' },
  enCancelPayment: { title: 'Cancel payment', content: 'Please cancel the duplicate payment.' },
  enExchangeSize: { title: 'Exchange for a different size', content: 'The shoes are too small.' },
  enShippingAddress: { title: 'Shipping address change', content: 'I moved last week.' },
  enBillingAddress: { title: 'Billing address update', content: 'New address for invoices.' },
  enShipmentTracking: { title: 'Shipment tracking number', content: 'The tracking page shows nothing.' },
  enCoupon: { title: 'Coupon code not working', content: 'It says the code has expired.' },
  enInvoice: { title: 'Invoice request', content: 'We need an invoice for accounting.' },
  // Korean and English mixed
  mixIphone: { title: 'iPhone 배송 문의', content: 'iPhone 15 케이스를 주문했는데 배송이 늦어요.' },
  mixPaypal: { title: 'PayPal 결제 오류', content: 'PayPal로 결제하려고 하면 error가 나요.' },
  mixKakaoPay: { title: '카카오페이 결제취소', content: 'KakaoPay 결제를 취소하고 싶습니다.' },
  mixAsCenter: { title: 'AS센터 위치 문의', content: 'AS 접수는 어디서 하나요?' },
  mixRefund: { title: 'refund 요청합니다', content: '주문번호 A-1042 환불해주세요.' },
  mixLogin: { title: 'Login 오류 (앱)', content: 'Android 앱에서 로그인 오류가 발생합니다.' },
  mixWifi: { title: 'Wi-Fi 공유기 교환', content: '전원이 켜지지 않습니다.' },
  mixVip: { title: 'VIP 쿠폰 문의', content: 'VIP 등급 쿠폰은 언제 들어오나요?' },
  // Text in other Unicode forms: full-width Latin, Hangul in decomposed jamo (as macOS writes file names)
  fullWidthVip: { title: 'ＶＩＰ 등급 혜택', content: '등급이 언제 올라가나요?' },
  decomposedFileName: { title: '첨부파일 이름이 깨져요', content: `맥에서 보낸 ${'배송조회.pdf'.normalize('NFD')} 파일이 열리지 않습니다.` },
} satisfies Record<string, CorpusTicket>

export type TicketKey = keyof typeof CORPUS_TICKETS

/** Every ticket holding 배송 (delivery) in any form. */
const DELIVERY: TicketKey[] = ['shipLate', 'shipLateCancel', 'shipDawnLate', 'shipLateAgain', 'parcelMissing', 'addressChange', 'addressWrong', 'deliveredNotReceived', 'wrongItem', 'abroad', 'shippingFee', 'exchangeShip', 'mixIphone', 'decomposedFileName']
/** Every ticket holding 환불 (refund). */
const REFUND: TicketKey[] = ['shippingFee', 'refundRequest', 'refundBroken', 'refundWhen', 'refundPartial', 'refundAccount', 'mixRefund']
/** Delivery delays written with 배송 and 지연, together or apart. */
const DELIVERY_DELAY: TicketKey[] = ['shipLate', 'shipLateCancel', 'shipDawnLate', 'shipLateAgain']
/** Refund requests written with 환불 and 요청, together or apart. */
const REFUND_REQUEST: TicketKey[] = ['refundRequest', 'refundBroken', 'mixRefund']
const ENGLISH_REFUND: TicketKey[] = ['enRefundRequest', 'enRefundsPending', 'enRefunded', 'mixRefund']
const ENGLISH_DELIVERY: TicketKey[] = ['enDeliveryDelayed', 'enLateDelivery', 'enDeliveredWrong', 'enDeliveriesIsland']

export const CORPUS_QUERIES: readonly CorpusQuery[] = [
  // A noun with a particle finds it with any other particle, or none.
  { q: '배송이', kind: 'particle', expected: DELIVERY },
  { q: '배송을', kind: 'particle', expected: DELIVERY },
  { q: '환불은', kind: 'particle', expected: REFUND },
  { q: '결제가', kind: 'particle', expected: ['payCancel', 'payCancelFails', 'cardError', 'payTwice', 'payMethod', 'payDelay', 'coupon', 'mixPaypal', 'mixKakaoPay'] },
  { q: '로그인이', kind: 'particle', expected: ['loginError', 'loginFails', 'mixLogin'] },
  { q: '비밀번호를', kind: 'particle', expected: ['loginError', 'passwordFind', 'passwordChanged'] },
  { q: '택배가', kind: 'particle', expected: ['shipLateAgain', 'parcelMissing'] },
  { q: '고객센터로', kind: 'particle', expected: ['callCenter', 'counselor'] },
  { q: '적립금은', kind: 'particle', expected: ['leave', 'points'] },
  // A word that only ends like a particle keeps it.
  { q: '나이', kind: 'particle', expected: ['ageLimit'] },
  // A compound noun finds itself written with or without a space, and the reverse.
  { q: '배송지연', kind: 'compound', expected: DELIVERY_DELAY },
  { q: '배송 지연', kind: 'compound', expected: DELIVERY_DELAY },
  { q: '환불요청', kind: 'compound', expected: REFUND_REQUEST },
  { q: '환불 요청', kind: 'compound', expected: REFUND_REQUEST },
  { q: '결제취소', kind: 'compound', expected: ['payCancel', 'payCancelFails', 'mixKakaoPay'] },
  { q: '결제 취소', kind: 'compound', expected: ['payCancel', 'payCancelFails', 'mixKakaoPay'] },
  { q: '로그인오류', kind: 'compound', expected: ['loginError', 'loginFails', 'mixLogin'] },
  { q: '비밀번호 변경', kind: 'compound', expected: ['passwordChanged'] },
  { q: '배송지', kind: 'compound', expected: ['addressChange', 'addressWrong'] },
  // Part of a longer word.
  { q: '배송', kind: 'partial', expected: DELIVERY },
  { q: '지연', kind: 'partial', expected: [...DELIVERY_DELAY, 'addressChange', 'payDelay'] },
  { q: '환불', kind: 'partial', expected: REFUND },
  { q: '탈퇴', kind: 'partial', expected: ['leave'] },
  { q: '교환', kind: 'partial', expected: ['wrongItem', 'exchangeSize', 'exchangeItem', 'exchangeShip', 'mixWifi'] },
  { q: '오류', kind: 'partial', expected: ['loginError', 'loginFails', 'cardError', 'mixPaypal', 'mixLogin'] },
  { q: '번호', kind: 'partial', expected: ['parcelMissing', 'loginError', 'passwordFind', 'passwordChanged', 'twoFactor', 'taxInvoice', 'mixRefund'] },
  { q: '센터', kind: 'partial', expected: ['callCenter', 'counselor', 'mixAsCenter'] },
  { q: '앱', kind: 'syllable', expected: ['loginFails', 'logoutLoop', 'mixLogin'] },
  // English words by prefix and in their other forms.
  { q: 'refund', kind: 'english', expected: ENGLISH_REFUND },
  { q: 'refunds', kind: 'english', expected: ENGLISH_REFUND },
  { q: 'refunded', kind: 'english', expected: ENGLISH_REFUND },
  { q: 'deliver', kind: 'english', expected: ENGLISH_DELIVERY },
  { q: 'delivery', kind: 'english', expected: ENGLISH_DELIVERY },
  { q: 'Deliveries', kind: 'english', expected: ENGLISH_DELIVERY },
  { q: 'password', kind: 'english', expected: ['enCannotLogIn', 'enPasswordExpired', 'enForgotPassword'] },
  { q: 'login', kind: 'english', expected: ['enCannotLogIn', 'enLoginSlow', 'mixLogin'] },
  { q: 'logging', kind: 'english', expected: ['enLoggingOut'] },
  { q: 'payment failed', kind: 'english', expected: ['enPaymentFailed'] },
  { q: 'charged', kind: 'english', expected: ['enPaymentFailed'] },
  { q: 'addresses', kind: 'english', expected: ['enDeliveredWrong', 'enShippingAddress', 'enBillingAddress'] },
  { q: 'shipping', kind: 'english', expected: ['enDeliveriesIsland', 'enShippingAddress', 'enShipmentTracking'] },
  // Korean and English together, and words that mix the scripts.
  { q: 'iPhone 배송', kind: 'mixed', expected: ['mixIphone'] },
  { q: 'paypal 결제', kind: 'mixed', expected: ['mixPaypal'] },
  { q: 'login 오류', kind: 'mixed', expected: ['mixLogin'] },
  { q: 'AS센터', kind: 'mixed', expected: ['mixAsCenter'] },
  { q: 'refund 환불', kind: 'mixed', expected: ['mixRefund'] },
  { q: 'kakaopay 취소', kind: 'mixed', expected: ['mixKakaoPay'] },
  { q: '1042', kind: 'number', expected: ['enRefundRequest', 'mixRefund'] },
  // Full-width and decomposed forms find, and are found by, the plain ones.
  { q: 'vip', kind: 'folded', expected: ['mixVip', 'fullWidthVip'] },
  { q: 'ＲＥＦＵＮＤ', kind: 'folded', expected: ENGLISH_REFUND },
  { q: '배송조회', kind: 'folded', expected: ['parcelMissing', 'decomposedFileName'] },
  { q: '첨부파일'.normalize('NFD'), kind: 'folded', expected: ['decomposedFileName'] },
]
