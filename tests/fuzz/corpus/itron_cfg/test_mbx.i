# 0 "test_mbx.cfg"
# 1 "test_mbx.cfg"
# 1 "test_mbx.h" 1
# 3 "test_mbx.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_mbx.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_mbx.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_mbx.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_mbx.cfg"
                                                                   });
CRE_MBX(MBX1, { 0x00U|0x02U, 3, 
# 6 "test_mbx.cfg" 3 4
                                              ((void *)0) 
# 6 "test_mbx.cfg"
                                                   });
CRE_MBX(MBX2, { 0x00U|0x00U, 3, 
# 7 "test_mbx.cfg" 3 4
                                               ((void *)0) 
# 7 "test_mbx.cfg"
                                                    });
CRE_ALM(ALM1, { 0U, 1, alm1 });
